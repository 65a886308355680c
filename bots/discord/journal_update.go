package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots/journal"
)

// interactionLifetime is how long Discord accepts an interaction's token:
// a journaled interaction older than that can no longer be answered.
const interactionLifetime = 15 * time.Minute

// journaled is what the journal keeps of an update, to handle it again:
// an interaction as Discord sent it, with its thread's parent channel and
// how it was acknowledged, or a gateway message, with the bot's user id
// when it arrived.
type journaled struct {
	Interaction json.RawMessage    `json:"i,omitempty"`
	Parent      string             `json:"p,omitempty"`
	HTTPAck     bool               `json:"h,omitempty"`
	Message     *discordgo.Message `json:"m,omitempty"`
	Self        string             `json:"s,omitempty"`
}

// encode returns rec's JSON.
func (rec journaled) encode() ([]byte, error) {
	raw, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encode journal record: %w", err)
	}
	return raw, nil
}

// Journal ids of interactions and gateway messages.
func interactionEntry(id string) string { return "i:" + id }
func messageEntry(id string) string     { return "m:" + id }

// recordInteraction journals interaction i, from a thread of parent,
// before it is acknowledged (httpAck: in the HTTP endpoint's response);
// raw is i as Discord sent it, or nil to encode i. See record.
func (b *Bot) recordInteraction(ctx context.Context, i *discordgo.Interaction, raw []byte, parent string, httpAck bool) (*journal.Entry, bool) {
	if b.journal == nil {
		return nil, true
	}
	if raw == nil {
		var err error
		if raw, err = interactionJSON(i); err != nil {
			b.log.WarnContext(ctx, "encode an interaction for the journal; handled without a record", "interaction", i.ID, "err", err)
			return nil, true
		}
	}
	return b.record(ctx, interactionEntry(i.ID), journaled{Interaction: raw, Parent: parent, HTTPAck: httpAck})
}

// interactionJSON encodes i as Discord sends it; discordgo leaves out the
// text inputs of a submitted modal, so they are encoded here.
func interactionJSON(i *discordgo.Interaction) ([]byte, error) {
	raw, err := json.Marshal(i)
	if err != nil || i.Type != discordgo.InteractionModalSubmit {
		return raw, err
	}
	type input struct {
		Type     int    `json:"type"`
		CustomID string `json:"custom_id"`
		Value    string `json:"value"`
	}
	type row struct {
		Type       int     `json:"type"`
		Components []input `json:"components"`
	}
	d := i.ModalSubmitData()
	data := struct {
		CustomID   string `json:"custom_id"`
		Components []row  `json:"components"`
	}{CustomID: d.CustomID}
	for _, c := range d.Components {
		r, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		var ins []input
		for _, rc := range r.Components {
			if in, ok := rc.(*discordgo.TextInput); ok {
				ins = append(ins, input{Type: int(discordgo.TextInputComponent), CustomID: in.CustomID, Value: in.Value})
			}
		}
		data.Components = append(data.Components, row{Type: int(discordgo.ActionsRowComponent), Components: ins})
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	if fields["data"], err = json.Marshal(data); err != nil {
		return nil, err
	}
	return json.Marshal(fields)
}

// takeOver handles again en, claimed from a process that died, whose
// record is data: its turn is queued behind the chat's earlier work,
// skipping what only the first delivery does (acknowledging an
// interaction, de-duplicating a message).
func (b *Bot) takeOver(ctx context.Context, en *journal.Entry, data []byte) {
	var rec journaled
	err := json.Unmarshal(data, &rec)
	switch {
	case err != nil:
	case rec.Interaction != nil:
		b.resumeInteraction(ctx, en, rec)
		return
	case rec.Message != nil:
		b.resumeMessage(ctx, en, rec)
		return
	default:
		err = fmt.Errorf("neither an interaction nor a message")
	}
	b.log.WarnContext(ctx, "drop an unreadable journaled update", "id", en.ID(), "err", err)
	b.journal.End(en)
}

// resumeInteraction queues the work of a claimed interaction. Its
// deferral happened already: the answer fills the original response
// through the interaction's token, or, once the token has expired, the
// entry is ended and logged, as it can no longer be answered.
func (b *Bot) resumeInteraction(ctx context.Context, en *journal.Entry, rec journaled) {
	var i discordgo.Interaction
	if err := json.Unmarshal(rec.Interaction, &i); err != nil {
		b.log.WarnContext(ctx, "drop an unreadable journaled interaction", "id", en.ID(), "err", err)
		b.journal.End(en)
		return
	}
	chat := chatKey(i.GuildID, i.ChannelID)
	at, err := discordgo.SnowflakeTimestamp(i.ID)
	if age := b.cfg.Clock.Now().Sub(at); err != nil || age >= interactionLifetime {
		b.log.WarnContext(ctx, "ended a journaled interaction of a process that stopped: its token expired before it could be answered",
			"interaction", i.ID, "chat", chat, "age", age.Round(time.Second))
		b.journal.End(en)
		return
	}
	r, ok := b.react(&i, rec.Parent, rec.HTTPAck)
	if !ok || r.work == nil { // its response was all of it
		b.journal.End(en)
		return
	}
	r.surface.since(at)
	b.log.InfoContext(ctx, "taking over an interaction of a process that stopped", "interaction", i.ID, "chat", chat)
	if !b.enqueueEntry(r.key, en, r.work) {
		b.log.WarnContext(ctx, "journaled interaction left for later: channel queue full or shutting down", "chat", r.key)
	}
}

// resumeMessage queues the turn of a claimed gateway message.
func (b *Bot) resumeMessage(ctx context.Context, en *journal.Entry, rec journaled) {
	t, atts, quoted, ok := b.messageTurn(rec.Message, rec.Self)
	if !ok {
		b.journal.End(en)
		return
	}
	b.log.InfoContext(ctx, "taking over a message of a process that stopped", "message", rec.Message.ID, "chat", t.Chat)
	if !b.enqueueEntry(t.Chat, en, func(ctx context.Context) { b.completeTurn(ctx, t, atts, quoted) }) {
		b.log.WarnContext(ctx, "journaled message left for later: channel queue full or shutting down", "chat", t.Chat)
	}
}
