package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestPollObeysRetryAfter(t *testing.T) {
	h := newHarness(t, Config{})
	h.srv.FailNext("getUpdates", tgtest.TooManyRequests(7), tgtest.TooManyRequests(7))
	h.run(t)
	h.logs.waitFor(t, "get updates failed")
	timers(t, h.clock, 1, "the retry_after wait")
	if n := len(h.srv.Calls("getUpdates")); n != 1 {
		t.Fatalf("%d getUpdates calls before retry_after passed, want 1", n)
	}
	h.clock.Advance(6 * time.Second)
	if h.clock.Waiters() != 1 {
		t.Fatalf("the wait ended after 6 s of a 7 s retry_after")
	}
	h.clock.Advance(time.Second)
	h.srv.WaitFor(t, "a second getUpdates", func() bool { return len(h.srv.Calls("getUpdates")) == 2 })
	timers(t, h.clock, 1, "the second retry_after wait")
	h.clock.Advance(7 * time.Second)
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "after the storm"})
	if tn := h.nextTurn(t); tn.Text != "after the storm" {
		t.Errorf("turn = %q", tn.Text)
	}
	if !strings.Contains(h.logs.String(), "retry_in=7s") {
		t.Errorf("log does not show the 7 s wait:\n%s", h.logs.String())
	}
}

func TestPollStopsOnRevokedToken(t *testing.T) {
	h := newHarness(t, Config{})
	h.srv.FailNext("getUpdates", tgtest.Failure{Code: 401, Description: "Unauthorized"})
	err := h.bot.Run(context.Background())
	var ae *apiError
	if !errors.As(err, &ae) || ae.Code != 401 {
		t.Fatalf("Run = %v, want the 401", err)
	}
	if h.bot.Ready() {
		t.Error("ready after Run returned")
	}
	if err := h.bot.Run(context.Background()); err == nil {
		t.Error("second Run succeeded")
	}
}

func TestRunStopsCleanly(t *testing.T) {
	h := newHarness(t, Config{RequestTimeout: time.Minute})
	release := make(chan struct{})
	h.eng.submit = func(ctx context.Context, tn bots.Turn) error {
		h.turns <- tn
		select {
		case <-release:
		case <-ctx.Done():
		}
		return ctx.Err()
	}
	if h.bot.Ready() {
		t.Error("ready before Run")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.bot.Run(ctx) }()
	id := h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "busy"})
	h.nextTurn(t)
	h.acked(t, id) // a 48 s long poll is in flight now
	if !h.bot.Ready() {
		t.Error("not ready while polling")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("Run did not return: the long poll or a handler was not stopped")
	}
	close(release)
	if h.bot.Ready() {
		t.Error("ready after Run returned")
	}
}

func TestDeleteWebhookBeforePolling(t *testing.T) {
	h := startHarness(t, Config{})
	c := h.srv.WaitCall(t, "deleteWebhook", nil)
	if c.Params["drop_pending_updates"] != "false" {
		t.Errorf("deleteWebhook params = %v", c.Params)
	}
	g := h.srv.WaitCall(t, "getUpdates", nil)
	if g.Params["timeout"] != "4" || g.Params["allowed_updates"] != `["message","callback_query"]` {
		t.Errorf("getUpdates params = %v", g.Params)
	}
}
