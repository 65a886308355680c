package telegram

import (
	"encoding/json"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// rawUpdate is an update as the Bot API sends it. tgbotapi.Update drops the
// fields forum topics need, so updates are decoded into these types.
type rawUpdate struct {
	UpdateID      int          `json:"update_id"`
	Message       *rawMessage  `json:"message,omitempty"`
	CallbackQuery *rawCallback `json:"callback_query,omitempty"`
}

// rawMessage is tgbotapi.Message plus the fields v5.5.1 lacks.
type rawMessage struct {
	tgbotapi.Message
	// MessageThreadID is the forum topic (when IsTopicMessage) or, in
	// ordinary supergroups, the reply thread, which does not matter here.
	MessageThreadID int  `json:"message_thread_id,omitempty"`
	IsTopicMessage  bool `json:"is_topic_message,omitempty"`
	// ReplyToMessage shadows tgbotapi's so replies keep these fields too.
	ReplyToMessage *rawMessage `json:"reply_to_message,omitempty"`
	// ForumTopicCreated marks the service message every topic message
	// "replies" to; such a reply is not a real one.
	ForumTopicCreated json.RawMessage `json:"forum_topic_created,omitempty"`
}

// rawCallback is a callback query (an inline button press).
type rawCallback struct {
	ID      string         `json:"id"`
	From    *tgbotapi.User `json:"from"`
	Message *rawMessage    `json:"message,omitempty"`
	Data    string         `json:"data,omitempty"`
}

// decodeUpdates decodes a getUpdates result one update at a time, so one
// update the types cannot hold does not lose the others. It returns the
// decoded updates and the highest update_id seen (or -1).
func decodeUpdates(raw []json.RawMessage) (ups []rawUpdate, maxID int, bad []error) {
	maxID = -1
	for _, r := range raw {
		var id struct {
			UpdateID int `json:"update_id"`
		}
		if err := json.Unmarshal(r, &id); err != nil {
			bad = append(bad, err)
			continue
		}
		maxID = max(maxID, id.UpdateID)
		var u rawUpdate
		if err := json.Unmarshal(r, &u); err != nil {
			bad = append(bad, err)
			continue
		}
		ups = append(ups, u)
	}
	return ups, maxID, bad
}

// text returns the message's text or caption and the entities that go
// with it.
func (m *rawMessage) text() (string, []tgbotapi.MessageEntity) {
	if m.Text != "" {
		return m.Text, m.Entities
	}
	return m.Caption, m.CaptionEntities
}

// isRealReply reports whether the message replies to another message, as
// opposed to sitting in a forum topic under its creation message.
func (m *rawMessage) isRealReply() bool {
	r := m.ReplyToMessage
	return r != nil && len(r.ForumTopicCreated) == 0 &&
		!(m.IsTopicMessage && r.MessageID == m.MessageThreadID)
}

// senderName is the display name of a user: first and last name, or the
// username.
func senderName(u *tgbotapi.User) string {
	if u == nil {
		return ""
	}
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" {
		name = u.UserName
	}
	return name
}
