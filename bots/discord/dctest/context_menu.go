package dctest

import (
	"encoding/json"
	"net/http"

	"github.com/bwmarrin/discordgo"
)

// UserMessage returns a message by who (not the bot) with the given text
// and attachments, and keeps it so GET /channels/{channel}/messages/{id}
// returns it, as message commands and replies refer to it.
func (s *Server) UserMessage(who Invoker, content string, atts ...*discordgo.MessageAttachment) *discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &discordgo.Message{
		ID: s.newIDLocked(), ChannelID: who.Channel, GuildID: who.Guild, Content: content,
		Type: discordgo.MessageTypeDefault, Attachments: atts,
		Author: &discordgo.User{ID: who.User, Username: who.Username, GlobalName: who.GlobalName},
	}
	if who.Guild != "" {
		m.Member = &discordgo.Member{Nick: who.Nick, Roles: who.Roles}
	}
	s.userMsgs[m.ID] = m
	return m
}

// EmbedImage returns an embed showing a, as Discord's media proxy serves
// it (the redirecting client sends that host to the fake).
func EmbedImage(a *discordgo.MessageAttachment) *discordgo.MessageEmbed {
	u := "https://media.discordapp.net/attachments/" + a.ID + "/" + a.Filename
	return &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich,
		Image: &discordgo.MessageEmbedImage{URL: "https://example.com/" + a.Filename, ProxyURL: u}}
}

// MessageCommand returns the interaction of message command name used by
// who on target, with target in the resolved data as Discord sends it.
func (s *Server) MessageCommand(who Invoker, name string, target *discordgo.Message) *discordgo.Interaction {
	i := s.interaction(who, discordgo.InteractionApplicationCommand)
	i.Data = discordgo.ApplicationCommandInteractionData{
		ID: s.id(), Name: name, CommandType: discordgo.MessageApplicationCommand, TargetID: target.ID,
		Resolved: &discordgo.ApplicationCommandInteractionDataResolved{Messages: map[string]*discordgo.Message{target.ID: target}},
	}
	return i
}

// ModalSubmit returns the submission by who of the modal customID, with
// one text input per entry of values (custom id → typed text). Encode it
// with MarshalInteraction: discordgo does not encode a modal's components.
func (s *Server) ModalSubmit(who Invoker, customID string, values map[string]string) *discordgo.Interaction {
	i := s.interaction(who, discordgo.InteractionModalSubmit)
	raw, err := json.Marshal(modalData(customID, values))
	if err != nil {
		s.tb.Fatalf("dctest: encode modal: %v", err)
	}
	var data discordgo.ModalSubmitInteractionData
	if err := json.Unmarshal(raw, &data); err != nil {
		s.tb.Fatalf("dctest: decode modal: %v", err)
	}
	i.Data = data
	return i
}

// modalJSON is a submitted modal as Discord encodes it.
type modalJSON struct {
	CustomID   string         `json:"custom_id"`
	Components []modalRowJSON `json:"components"`
}

// modalRowJSON is an action row of one text input.
type modalRowJSON struct {
	Type       int              `json:"type"`
	Components []modalInputJSON `json:"components"`
}

// modalInputJSON is a submitted text input.
type modalInputJSON struct {
	Type     int    `json:"type"`
	CustomID string `json:"custom_id"`
	Value    string `json:"value"`
}

// modalData encodes a modal submission.
func modalData(customID string, values map[string]string) modalJSON {
	d := modalJSON{CustomID: customID}
	for id, v := range values {
		d.Components = append(d.Components, modalRowJSON{Type: int(discordgo.ActionsRowComponent),
			Components: []modalInputJSON{{Type: int(discordgo.TextInputComponent), CustomID: id, Value: v}}})
	}
	return d
}

// MarshalInteraction encodes i as Discord sends it, including the text
// inputs of a submitted modal, which discordgo leaves out.
func MarshalInteraction(i *discordgo.Interaction) ([]byte, error) {
	if i.Type != discordgo.InteractionModalSubmit {
		return json.Marshal(i)
	}
	d := i.ModalSubmitData()
	values := map[string]string{}
	for _, c := range d.Components {
		if row, ok := c.(*discordgo.ActionsRow); ok {
			for _, rc := range row.Components {
				if in, ok := rc.(*discordgo.TextInput); ok {
					values[in.CustomID] = in.Value
				}
			}
		}
	}
	body, err := json.Marshal(i)
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil, err
	}
	if fields["data"], err = json.Marshal(modalData(d.CustomID, values)); err != nil {
		return nil, err
	}
	return json.Marshal(fields)
}

// channelMessage answers GET /channels/{channel}/messages/{id} with a
// message made by UserMessage.
func (s *Server) channelMessage(w http.ResponseWriter, _ Request, m []string) {
	s.mu.Lock()
	msg := s.userMsgs[m[2]]
	s.mu.Unlock()
	if msg == nil || msg.ChannelID != m[1] {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	writeJSON(w, http.StatusOK, msg)
}
