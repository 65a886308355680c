package telegram

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestPaceKeyIsTheWholeGroup(t *testing.T) {
	tests := []struct {
		name      string
		msg       tgtest.Message
		chat      string
		pace      string
		isCommand bool
	}{
		{"private turn", tgtest.Message{Chat: tgtest.PrivateChat(alice()), Text: "hi"}, "tg:11", "tg:11", false},
		{"group turn", tgtest.Message{Chat: tgtest.GroupChat(groupID), Text: "/ask hi"}, "tg:-1001234", "tg:-1001234", false},
		{"topic turn", tgtest.Message{Chat: tgtest.ForumChat(groupID), ThreadID: 42, Text: "/ask hi"}, "tg:-1001234:42", "tg:-1001234", false},
		{"topic command", tgtest.Message{Chat: tgtest.ForumChat(groupID), ThreadID: 42, Text: "/reset"}, "tg:-1001234:42", "tg:-1001234", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, Config{})
			tt.msg.From = alice()
			h.srv.Push(tt.msg)
			var chat, pace string
			if tt.isCommand {
				c := h.nextCommand(t)
				chat, pace = c.Chat, c.PaceKey
			} else {
				tn := h.nextTurn(t)
				chat, pace = tn.Chat, tn.PaceKey
			}
			if chat != tt.chat || pace != tt.pace {
				t.Errorf("chat %q pace %q, want chat %q pace %q", chat, pace, tt.chat, tt.pace)
			}
		})
	}
}

func TestNoticesGoThroughTheEngine(t *testing.T) {
	h := startHarness(t, Config{AllowedUsers: []int64{alice().ID}})
	h.srv.Push(tgtest.Message{ID: 70, Chat: tgtest.ForumChat(groupID), ThreadID: 9, From: bob(), Text: "/ask hi"})
	select {
	case n := <-h.notes:
		if n.Chat != "tg:-1001234:9" || n.PaceKey != "tg:-1001234" || n.ReplyTo.ID != "70" || !strings.Contains(n.Text, "not available") {
			t.Errorf("notice = %+v, want the refusal paced by the group", n)
		}
	case <-time.After(waitTimeout):
		t.Fatal("refusal not sent through Engine.Notify")
	}
}

func TestStopButtonNamesItsTurn(t *testing.T) {
	tests := []struct {
		name   string
		stopID string
		want   string
	}{
		{"turn id", "k3x9-17", `"callback_data":"stop:k3x9-17"`},
		{"no id", "", `"callback_data":"stop"`},
		{"id too long for callback data", strings.Repeat("x", maxCallbackData), `"callback_data":"stop"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			s := h.bot.surface(chatRef{ID: alice().ID, Private: true})
			if _, err := s.Send(context.Background(), bots.Outgoing{Text: "…", StopButton: true, StopID: tt.stopID}); err != nil {
				t.Fatal(err)
			}
			if got := h.srv.Calls("sendMessage")[0].Params["reply_markup"]; !strings.Contains(got, tt.want) {
				t.Errorf("reply_markup = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestStopButtonPress(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string // what h.stops receives; "" for nothing
	}{
		{"button of a turn", "stop:k3x9-17", "tg:-1001234:8/k3x9-17"},
		{"old bare button", "stop", "tg:-1001234:8/"},
		{"empty turn id", "stop:", ""},
		{"other button", "other", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, Config{})
			botMsg := tgtest.Message{ID: 900, Chat: tgtest.ForumChat(groupID), ThreadID: 8, From: h.srv.Bot, Text: "streaming…"}
			h.srv.PushCallback(tgtest.Callback{ID: "cb1", From: alice(), Message: botMsg, Data: tt.data})
			c := h.srv.WaitCall(t, "answerCallbackQuery", nil)
			var got string
			select {
			case got = <-h.stops:
			default:
			}
			if got != tt.want {
				t.Errorf("stopped %q, want %q", got, tt.want)
			}
			if tt.want != "" && c.Params["text"] != bots.NoticesFor("").Stopped() {
				t.Errorf("answer = %q, want the stopped notice", c.Params["text"])
			}
		})
	}
}
