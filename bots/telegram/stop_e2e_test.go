package telegram

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// stopButtonOf returns the callback data of the Stop button of m, or "".
func stopButtonOf(t *testing.T, m tgtest.SentMessage) string {
	t.Helper()
	if m.Markup == "" {
		return ""
	}
	var kb struct {
		InlineKeyboard [][]struct {
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(m.Markup), &kb); err != nil {
		t.Fatalf("reply_markup %s: %v", m.Markup, err)
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if _, ok := parseStopData(b.CallbackData); ok {
				return b.CallbackData
			}
		}
	}
	return ""
}

func TestEndToEndStopButtonInAGroup(t *testing.T) {
	carol := tgtest.User{ID: 33, FirstName: "Carol"} // an admin
	n := bots.NoticesFor("")
	tests := []struct {
		name   string
		by     tgtest.User
		answer string // the toast only the presser sees
		stops  bool
	}{
		{name: "the asker stops the answer", by: alice(), answer: n.Stopped(), stops: true},
		{name: "a classmate is refused and the answer goes on", by: bob(), answer: n.NotYourStop()},
		{name: "an admin stops the answer", by: carol, answer: n.Stopped(), stops: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gate := llmtest.NewFrameGate(1) // the answer waits after its first words
			x := startGatedE2E(t, gate, func(c *Config) { c.Admins = []int64{carol.ID} })
			group := tgtest.GroupChat(groupID)
			x.tg.Push(tgtest.Message{Chat: group, From: alice(), Text: "@qwen_test_bot what is 2+2?"})
			var reply tgtest.SentMessage
			var data string
			x.tg.WaitFor(t, "a reply with a Stop button", func() bool {
				for _, m := range x.tg.Sent() {
					if m.ChatID == groupID && strings.HasPrefix(stopButtonOf(t, m), stopData+":") {
						reply, data = m, stopButtonOf(t, m)
						return true
					}
				}
				return false
			})
			x.tg.PushCallback(tgtest.Callback{ID: "cb", From: tt.by, Data: data,
				Message: tgtest.Message{ID: reply.ID, Chat: group, From: x.tg.Bot, Text: reply.Text}})
			c := x.tg.WaitCall(t, "answerCallbackQuery", nil)
			if c.Params["callback_query_id"] != "cb" || c.Params["text"] != tt.answer {
				t.Errorf("answerCallbackQuery %v, want the toast %q", c.Params, tt.answer)
			}
			if tt.stops {
				x.tg.WaitFor(t, "the stopped reply", func() bool {
					for _, m := range x.tg.Sent() {
						if m.ID == reply.ID && strings.Contains(m.Text, "⏹") && m.Markup == "" {
							return true
						}
					}
					return false
				})
				gate.Open(1)
				x.eng.Wait()
				return
			}
			gate.Open(1)
			if final := x.finalReply(t, groupID); strings.Contains(final.Text, "⏹") {
				t.Errorf("final reply %q: the refused press stopped it", final.Text)
			}
			x.eng.Wait()
		})
	}
}
