package telegram

import (
	"encoding/json"
	"testing"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// decodeMessage renders m as the fake Bot API would send it and decodes it
// as the adapter does.
func decodeMessage(t *testing.T, srv *tgtest.Server, m tgtest.Message) *rawMessage {
	t.Helper()
	var u rawUpdate
	if err := json.Unmarshal(srv.Update(1, m), &u); err != nil {
		t.Fatalf("decode update: %v", err)
	}
	return u.Message
}

func TestClassify(t *testing.T) {
	srv := tgtest.NewServer(t)
	id := botIdentity{ID: srv.Bot.ID, Username: srv.Bot.Username}
	group := tgtest.GroupChat(groupID)
	private := tgtest.PrivateChat(alice())
	botMsg := &tgtest.Message{ID: 77, From: srv.Bot, Text: "an earlier answer"}
	bobMsg := &tgtest.Message{ID: 78, From: bob(), Text: "hi"}
	botUser := srv.Bot
	tests := []struct {
		name string
		msg  tgtest.Message
		want intent
	}{
		{"private text", tgtest.Message{Chat: private, Text: "what is 2+2?"}, intent{Ask: true, Prompt: "what is 2+2?"}},
		{"private photo without caption", tgtest.Message{Chat: private, Photo: tgtest.Photo("p1", 100)}, intent{Ask: true}},
		{"private start", tgtest.Message{Chat: private, Text: "/start"}, intent{Cmd: bots.CmdStart}},
		{"private new is reset", tgtest.Message{Chat: private, Text: "/new"}, intent{Cmd: bots.CmdReset}},
		{"private think off", tgtest.Message{Chat: private, Text: "/think off"}, intent{Cmd: bots.CmdThink, Args: "off"}},
		{"private sticker ignored", tgtest.Message{Chat: private}, intent{}},
		{"private pdf is unsupported", tgtest.Message{Chat: private, Document: &tgtest.Document{FileID: "d", MimeType: "application/pdf"}}, intent{Unsupported: true}},
		{"private pdf with caption is unsupported", tgtest.Message{Chat: private, Caption: "read", Document: &tgtest.Document{FileID: "d", MimeType: "application/pdf"}}, intent{Unsupported: true}},
		{"group pdf for the bot is unsupported", tgtest.Message{Chat: group, Caption: "@qwen_test_bot read", Document: &tgtest.Document{FileID: "d", MimeType: "application/pdf"}}, intent{Unsupported: true}},
		{"private video file is a clip", tgtest.Message{Chat: private, Document: &tgtest.Document{FileID: "d", MimeType: "video/mp4"}}, intent{Ask: true}},
		{"group pdf ignored", tgtest.Message{Chat: group, Caption: "read", Document: &tgtest.Document{FileID: "d", MimeType: "application/pdf"}}, intent{}},
		{"private unknown command", tgtest.Message{Chat: private, Text: "/foo bar"}, intent{Cmd: "foo", Args: "bar"}},
		{"group unknown command for the bot", tgtest.Message{Chat: group, Text: "/foo@qwen_test_bot bar"}, intent{Cmd: "foo", Args: "bar"}},
		{"group unknown command ignored", tgtest.Message{Chat: group, Text: "/foo bar"}, intent{}},
		{"group unknown command for another bot ignored", tgtest.Message{Chat: group, Text: "/foo@other_bot bar"}, intent{}},
		{"lang", tgtest.Message{Chat: private, Text: "/lang zh"}, intent{Cmd: bots.CmdLang, Args: "zh"}},
		{"group plain text ignored", tgtest.Message{Chat: group, Text: "what is 2+2?"}, intent{}},
		{"group photo ignored", tgtest.Message{Chat: group, Photo: tgtest.Photo("p1", 100), Caption: "look"}, intent{}},
		{"group mention first", tgtest.Message{Chat: group, Text: "@qwen_test_bot what is 2+2?"}, intent{Ask: true, Prompt: "what is 2+2?"}},
		{"group mention inside", tgtest.Message{Chat: group, Text: "so @QWEN_test_bot what now"}, intent{Ask: true, Prompt: "so what now"}},
		{"group mention in caption", tgtest.Message{Chat: group, Photo: tgtest.Photo("p1", 100), Caption: "@qwen_test_bot solve"}, intent{Ask: true, Prompt: "solve"}},
		{"group other mention ignored", tgtest.Message{Chat: group, Text: "@someone_else hi"}, intent{}},
		{"group text mention", tgtest.Message{Chat: group, Text: "Qwen help me",
			Entities: []tgtest.Entity{{Type: "text_mention", Offset: 0, Length: 4, User: &botUser}}}, intent{Ask: true, Prompt: "help me"}},
		{"group reply to bot", tgtest.Message{Chat: group, Text: "and why?", ReplyTo: botMsg}, intent{Ask: true, Prompt: "and why?"}},
		{"group reply to user ignored", tgtest.Message{Chat: group, Text: "and why?", ReplyTo: bobMsg}, intent{}},
		{"group ask", tgtest.Message{Chat: group, Text: "/ask why is the sky blue"}, intent{Ask: true, Prompt: "why is the sky blue"}},
		{"group ask addressed", tgtest.Message{Chat: group, Text: "/ask@qwen_test_bot why"}, intent{Ask: true, Prompt: "why"}},
		{"group ask for other bot ignored", tgtest.Message{Chat: group, Text: "/ask@other_bot why"}, intent{}},
		{"group reset for other bot ignored", tgtest.Message{Chat: group, Text: "/reset@other_bot"}, intent{}},
		{"group reset", tgtest.Message{Chat: group, Text: "/reset"}, intent{Cmd: bots.CmdReset}},
		{"group stop addressed", tgtest.Message{Chat: group, Text: "/stop@qwen_test_bot"}, intent{Cmd: bots.CmdStop}},
		{"group system", tgtest.Message{Chat: group, Text: "/system Answer briefly."}, intent{Cmd: bots.CmdSystem, Args: "Answer briefly."}},
		{"group ask in caption", tgtest.Message{Chat: group, Photo: tgtest.Photo("p1", 100), Caption: "/ask"}, intent{Ask: true}},
		{"topic message is no reply to the topic starter", tgtest.Message{Chat: tgtest.ForumChat(groupID), ThreadID: 9, Text: "hello",
			ReplyTo: &tgtest.Message{ID: 9, From: srv.Bot, Text: "topic"}}, intent{}},
		{"topic mention", tgtest.Message{Chat: tgtest.ForumChat(groupID), ThreadID: 9, Text: "@qwen_test_bot hi"}, intent{Ask: true, Prompt: "hi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.msg.From.ID == 0 {
				tt.msg.From = alice()
			}
			m := decodeMessage(t, srv, tt.msg)
			got := id.classify(m, chatOf(m).Private)
			if got != tt.want {
				t.Errorf("classify = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestChatKeys(t *testing.T) {
	srv := tgtest.NewServer(t)
	tests := []struct {
		name    string
		msg     tgtest.Message
		key     string
		thread  int
		private bool
	}{
		{"private", tgtest.Message{Chat: tgtest.PrivateChat(alice()), Text: "x"}, "tg:11", 0, true},
		{"group", tgtest.Message{Chat: tgtest.GroupChat(groupID), Text: "x"}, "tg:-1001234", 0, false},
		{"forum topic", tgtest.Message{Chat: tgtest.ForumChat(groupID), ThreadID: 42, Text: "x"}, "tg:-1001234:42", 42, false},
		{"reply thread in a plain supergroup is not a topic", tgtest.Message{Chat: tgtest.GroupChat(groupID), Text: "x",
			ReplyTo: &tgtest.Message{ID: 5, From: bob(), Text: "y"}}, "tg:-1001234", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.msg.From = alice()
			m := decodeMessage(t, srv, tt.msg)
			if tt.name == "reply thread in a plain supergroup is not a topic" {
				m.MessageThreadID = 5 // Telegram sets it on replies in supergroups
			}
			c := chatOf(m)
			if c.Key() != tt.key || c.Thread != tt.thread || c.Private != tt.private {
				t.Errorf("chatOf = %+v (key %q), want key %q thread %d private %v", c, c.Key(), tt.key, tt.thread, tt.private)
			}
		})
	}
}
