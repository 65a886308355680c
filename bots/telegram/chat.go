package telegram

import (
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// chatRef identifies where a message lives: a chat and, in forum topics, a
// topic. Every reply in the chat goes to the same place.
type chatRef struct {
	ID int64
	// Thread is the forum topic's message_thread_id, or 0.
	Thread int
	// Private is a one-to-one chat with a user.
	Private bool
}

// chatOf returns where m lives.
func chatOf(m *rawMessage) chatRef {
	c := chatRef{}
	if m.Chat != nil {
		c.ID = m.Chat.ID
		c.Private = m.Chat.Type == "private"
	}
	if m.IsTopicMessage {
		c.Thread = m.MessageThreadID
	}
	return c
}

// Key is the history key of the chat: "tg:<chat>" or "tg:<chat>:<topic>".
func (c chatRef) Key() string {
	k := "tg:" + strconv.FormatInt(c.ID, 10)
	if c.Thread != 0 {
		k += ":" + strconv.Itoa(c.Thread)
	}
	return k
}

// PaceKey keys the engine's pacing gate of the chat: "tg:<chat>", shared
// by all forum topics of a group, since Telegram's limit of about 20
// messages a minute counts the whole group.
func (c chatRef) PaceKey() string { return "tg:" + strconv.FormatInt(c.ID, 10) }

// Group reports whether the chat is shared by several users.
func (c chatRef) Group() bool { return !c.Private }

// params returns the chat_id (and message_thread_id) parameters of a call
// into this chat.
func (c chatRef) params() tgbotapi.Params {
	p := tgbotapi.Params{"chat_id": strconv.FormatInt(c.ID, 10)}
	p.AddNonZero("message_thread_id", c.Thread)
	return p
}

// userKey is the rate-limit key of a Telegram user.
func userKey(id int64) string { return "tg:" + strconv.FormatInt(id, 10) }
