package main

import (
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// richEnv turns rich messages back to the default, "auto".
var richEnv = map[string]string{"QWENBOT_TELEGRAM_RICH_MESSAGES": "auto"}

// TestServeTelegramRichReplies runs a private and a group turn through
// serve with the default rich_messages = "auto": against a Bot API server
// with rich messages both replies are rich; against an old one the same
// turns get today's HTML.
func TestServeTelegramRichReplies(t *testing.T) {
	for _, old := range []bool{false, true} {
		name := "rich server"
		if old {
			name = "old server"
		}
		t.Run(name, func(t *testing.T) {
			x := newTGStack(t)
			x.tg.SetOldServer(old)
			srv := startServe(t, x.env(richEnv))
			x.tg.Push(tgtest.Message{ID: 77, Chat: tgtest.PrivateChat(alice), From: alice, Text: "what is 2+2?"})
			private := x.richOrHTMLReply(t, srv, alice.ID, old)
			x.tg.Push(tgtest.Message{ID: 90, Chat: tgtest.GroupChat(groupID), From: alice, Text: "@qwen_test_bot what is 2+2?"})
			group := x.richOrHTMLReply(t, srv, groupID, old)
			if private.ReplyTo != 77 || group.ReplyTo != 90 {
				t.Errorf("replies %+v and %+v do not reply to their questions", private, group)
			}
			rich := len(x.tg.Calls("sendRichMessage", "sendRichMessageDraft"))
			if old && rich != 1 {
				t.Errorf("%d rich requests to an old server, want the first only", rich)
			}
			if code := srv.stop(t); code != exitOK {
				t.Errorf("exit code %d after SIGTERM, want 0", code)
			}
		})
	}
}

// richOrHTMLReply waits for srv's next turn and returns its final answer in
// chat: rich Markdown, or today's HTML when html is set.
func (x *tgStack) richOrHTMLReply(t *testing.T, srv *instance, chat int64, html bool) tgtest.SentMessage {
	t.Helper()
	if html {
		m, _ := x.finalReply(t, srv, chat)
		return m
	}
	recv(t, srv.turns.finished, "the turn to finish")
	for _, m := range x.tg.Sent() {
		if m.ChatID == chat && m.ParseMode == tgtest.RichMode && strings.Contains(m.Text, "**4**") &&
			strings.Contains(m.Text, "two plus two") && m.Markup == "" {
			return m
		}
	}
	t.Fatalf("no final rich answer in chat %d; sent: %+v", chat, x.tg.Sent())
	return tgtest.SentMessage{}
}
