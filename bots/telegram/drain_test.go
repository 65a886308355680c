package telegram

import (
	"context"
	"net/http"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestADrainingWebhookRefusesUpdatesSoTelegramRedeliversThem(t *testing.T) {
	h := newHarness(t, webhookConfig())
	handler := h.bot.webhookHandler(context.Background())
	msg := tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "before"}
	if code := post(t, handler, "s3cret", h.srv.Update(1, msg)); code != http.StatusOK {
		t.Fatalf("before the drain: %d, want 200", code)
	}
	h.nextTurn(t)
	h.bot.Drain()
	msg.Text = "during the drain"
	if code := post(t, handler, "s3cret", h.srv.Update(2, msg)); code != http.StatusServiceUnavailable {
		t.Errorf("during the drain: %d, want 503", code)
	}
	h.bot.queue.Close()
	select {
	case tn := <-h.turns:
		t.Errorf("turn %q submitted during the drain", tn.Text)
	default:
	}
	if !h.bot.updates.Add(2) {
		t.Error("the refused update was recorded as handled, so its redelivery would be dropped")
	}
}

func TestADrainingPollerLeavesNewUpdatesWithTelegram(t *testing.T) {
	h := newHarness(t, Config{})
	h.run(t)
	first := h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "before"})
	h.nextTurn(t)
	h.bot.Drain()
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "during the drain"})
	h.srv.WaitCall(t, "getUpdates", func(c tgtest.Call) bool { return c.Params["limit"] == "1" && c.Int("offset") == int64(first+1) })
	select {
	case tn := <-h.turns:
		t.Errorf("turn %q submitted during the drain", tn.Text)
	default:
	}
	if n := h.srv.Pending(); n != 1 {
		t.Errorf("%d updates left with Telegram, want the one sent during the drain", n)
	}
}
