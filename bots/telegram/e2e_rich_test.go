package telegram

import (
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// startRichE2E runs the whole bot with telegram.rich_messages = mode.
func startRichE2E(t *testing.T, mode string) *e2e {
	t.Helper()
	return startGatedRichE2E(t, llmtest.NewFrameGate(), mode)
}

// startGatedRichE2E is startRichE2E with the model's streams held at g.
func startGatedRichE2E(t *testing.T, g *llmtest.FrameGate, mode string) *e2e {
	t.Helper()
	return startE2EWith(t, g, func(c *Config) { c.RichMessages = mode })
}

// finalRich waits for the final rich answer in chat.
func (x *e2e) finalRich(t *testing.T, chat int64) tgtest.SentMessage {
	t.Helper()
	var final tgtest.SentMessage
	x.tg.WaitFor(t, "the final rich answer", func() bool {
		for _, m := range x.tg.Sent() {
			if m.ChatID == chat && m.ParseMode == tgtest.RichMode && strings.Contains(m.Text, "**4**") &&
				strings.Contains(m.Text, "because") && m.Markup == "" {
				final = m
				return true
			}
		}
		return false
	})
	return final
}

func TestEndToEndRichPrivateDraftsThenFinal(t *testing.T) {
	gate := llmtest.NewFrameGate(1) // the rest of the answer waits for the first draft
	x := startGatedRichE2E(t, gate, RichAuto)
	x.tg.Push(tgtest.Message{ID: 77, Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "what is 2+2?"})
	x.tg.WaitCall(t, "sendRichMessageDraft", nil)
	gate.Open(1)
	final := x.finalRich(t, alice().ID)
	if final.ReplyTo != 77 {
		t.Errorf("final reply %+v: want a reply to 77", final)
	}
	if n := len(x.tg.Calls("sendRichMessageDraft")); n == 0 {
		t.Error("no rich drafts before the final message")
	}
	if n := len(x.tg.Calls("sendMessage", "sendMessageDraft")); n != 0 {
		t.Errorf("%d HTML requests in a rich reply", n)
	}
	x.eng.Wait()
}

func TestEndToEndRichGroupEdits(t *testing.T) {
	x := startRichE2E(t, RichAuto)
	x.tg.Push(tgtest.Message{ID: 78, Chat: tgtest.GroupChat(groupID), From: bob(), Text: "@qwen_test_bot what is 2+2?"})
	final := x.finalRich(t, groupID)
	if final.ReplyTo != 78 {
		t.Errorf("final reply %+v: want a reply to 78", final)
	}
	if n := len(x.tg.Calls("sendRichMessage")); n != 1 {
		t.Errorf("%d rich messages sent, want 1 edited in place", n)
	}
	if n := len(x.tg.Calls("sendRichMessageDraft", "sendMessage")); n != 0 {
		t.Errorf("%d drafts or HTML messages in a group", n)
	}
	x.eng.Wait()
}

// TestEndToEndRichOldServer runs two turns against a server without rich
// messages: the first notices and falls back to HTML, the second never
// tries rich messages again.
func TestEndToEndRichOldServer(t *testing.T) {
	x := startRichE2E(t, RichAuto)
	x.tg.SetOldServer(true)
	x.tg.Push(tgtest.Message{ID: 79, Chat: tgtest.GroupChat(groupID), From: bob(), Text: "@qwen_test_bot what is 2+2?"})
	x.finalReply(t, groupID)
	x.eng.Wait()
	tried := len(x.tg.Calls("sendRichMessage", "sendRichMessageDraft", "editMessageText"))
	x.tg.Push(tgtest.Message{ID: 80, Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "what is 2+2?"})
	x.finalReply(t, alice().ID)
	x.eng.Wait()
	if n := len(x.tg.Calls("sendRichMessage", "sendRichMessageDraft")); n != 1 {
		t.Errorf("%d rich requests, want the first only (tried before the second turn: %d)", n, tried)
	}
	for _, m := range x.tg.Sent() {
		if m.ParseMode == tgtest.RichMode {
			t.Errorf("a rich message on an old server: %+v", m)
		}
	}
}

// TestEndToEndRichRejectedFallsBack refuses one rich message: that reply
// goes on in HTML, and the next reply is rich again.
func TestEndToEndRichRejectedFallsBack(t *testing.T) {
	x := startRichE2E(t, RichAuto)
	x.tg.FailNext("sendRichMessage", tgtest.BadRequest("formula can't be parsed"))
	x.tg.Push(tgtest.Message{ID: 81, Chat: tgtest.GroupChat(groupID), From: bob(), Text: "@qwen_test_bot what is 2+2?"})
	x.finalReply(t, groupID)
	x.eng.Wait()
	x.tg.Push(tgtest.Message{ID: 82, Chat: tgtest.GroupChat(groupID), From: bob(), Text: "@qwen_test_bot and again?"})
	x.finalRich(t, groupID)
	x.eng.Wait()
}

func TestEndToEndRichOffSendsHTML(t *testing.T) {
	x := startRichE2E(t, RichOff)
	x.tg.Push(tgtest.Message{ID: 83, Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "what is 2+2?"})
	x.finalReply(t, alice().ID)
	x.eng.Wait()
	if n := len(x.tg.Calls("sendRichMessage", "sendRichMessageDraft")); n != 0 {
		t.Errorf("%d rich requests with rich messages off", n)
	}
}
