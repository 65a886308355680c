package dctest

import (
	"encoding/json"
	"net/http"
	"unicode/utf8"
)

// Kinds of message the fake keeps.
const (
	KindChannel  = "channel"
	KindOriginal = "original"
	KindFollowup = "followup"
)

// maxContent is Discord's limit on a message's content, in characters.
const maxContent = 2000

// Message is a message the bot sent, as the fake keeps it.
type Message struct {
	ID        string
	ChannelID string
	// Kind is KindChannel, KindOriginal or KindFollowup.
	Kind string
	// Token is the interaction token of original responses and followups.
	Token string
	// ReplyTo is the id of the message this one replies to.
	ReplyTo string
	// Content is the latest text; Contents every text it had, in order
	// (a deferred original response starts with none).
	Content  string
	Contents []string
	// StopButton reports whether the latest state has a button.
	StopButton bool
	// Flags are the message flags sent (64: ephemeral).
	Flags   int
	Deleted bool
}

// Messages returns copies of every message the bot sent, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs))
	for i, m := range s.msgs {
		out[i] = *m
		out[i].Contents = append([]string(nil), m.Contents...)
	}
	return out
}

// Typing returns how often "typing…" was sent to channel.
func (s *Server) Typing(channel string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.typing[channel]
}

// messageBody is the part of a message create or edit body the fake reads.
type messageBody struct {
	Content    *string           `json:"content"`
	Components []json.RawMessage `json:"components"`
	Flags      int               `json:"flags"`
	Reference  *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

// readMessage decodes body, answering 400 like Discord when it is invalid
// or too long; it reports whether the request may go on.
func readMessage(w http.ResponseWriter, body []byte) (messageBody, bool) {
	var b messageBody
	if err := json.Unmarshal(body, &b); err != nil {
		apiError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return b, false
	}
	if b.Content != nil && utf8.RuneCountInString(*b.Content) > maxContent {
		writeJSON(w, http.StatusBadRequest, map[string]any{
			"message": "Invalid Form Body", "code": 50035,
			"errors": map[string]any{"content": map[string]any{"_errors": []map[string]string{
				{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."},
			}}},
		})
		return b, false
	}
	return b, true
}

// newMessageLocked stores a new message. s.mu must be held.
func (s *Server) newMessageLocked(kind, channel, token string, b messageBody) *Message {
	m := &Message{ID: s.newIDLocked(), ChannelID: channel, Kind: kind, Token: token, Flags: b.Flags}
	if b.Reference != nil {
		m.ReplyTo = b.Reference.MessageID
	}
	s.msgs = append(s.msgs, m)
	m.updateLocked(b)
	return m
}

// updateLocked applies an edit body to m.
func (m *Message) updateLocked(b messageBody) {
	if b.Content != nil {
		m.Content = *b.Content
		m.Contents = append(m.Contents, *b.Content)
	}
	if b.Components != nil {
		m.StopButton = len(b.Components) > 0
	}
}

// findLocked returns the message with id, or nil. s.mu must be held.
func (s *Server) findLocked(id string) *Message {
	for _, m := range s.msgs {
		if m.ID == id && !m.Deleted {
			return m
		}
	}
	return nil
}

// json is the message as Discord returns it.
func (m *Message) json() map[string]any {
	out := map[string]any{
		"id": m.ID, "channel_id": m.ChannelID, "content": m.Content, "type": 0,
		"author": map[string]any{"id": BotID, "username": "qwenbot", "bot": true},
	}
	if m.ReplyTo != "" {
		out["type"] = 19
		out["message_reference"] = map[string]any{"message_id": m.ReplyTo, "channel_id": m.ChannelID}
	}
	if m.Kind != KindChannel {
		out["application_id"] = AppID
		out["webhook_id"] = AppID
	}
	return out
}
