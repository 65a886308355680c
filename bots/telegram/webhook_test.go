package telegram

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// fakeSeen is a shared de-duplication store.
type fakeSeen struct {
	mu   sync.Mutex
	ids  map[string]bool
	fail error
}

var _ deduper = (*fakeSeen)(nil)

func (f *fakeSeen) Seen(_ context.Context, id string, _ time.Duration) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return false, f.fail
	}
	first := !f.ids[id]
	f.ids[id] = true
	return first, nil
}

func webhookConfig() Config {
	return Config{Mode: ModeWebhook, WebhookURL: "https://bot.example.com/tg/hook", WebhookListen: "127.0.0.1:0", WebhookSecret: "s3cret"}
}

func post(t *testing.T, h http.Handler, secret string, body []byte) int {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/tg/hook", bytes.NewReader(body))
	if secret != "" {
		r.Header.Set(secretHeader, secret)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func TestWebhookHandler(t *testing.T) {
	h := newHarness(t, webhookConfig())
	seen := &fakeSeen{ids: map[string]bool{"tg:update:1000:7": true}} // another replica had update 7
	h.bot.seen = seen
	handler := h.bot.webhookHandler(context.Background())
	chat := tgtest.PrivateChat(alice())
	msg := func(text string) tgtest.Message { return tgtest.Message{Chat: chat, From: alice(), Text: text} }

	if code := post(t, handler, "", h.srv.Update(5, msg("no secret"))); code != http.StatusUnauthorized {
		t.Errorf("no secret: %d, want 401", code)
	}
	if code := post(t, handler, "wrong", h.srv.Update(5, msg("bad secret"))); code != http.StatusUnauthorized {
		t.Errorf("bad secret: %d, want 401", code)
	}
	for _, step := range []struct {
		id   int
		text string
	}{{5, "first"}, {5, "first again"}, {7, "seen by another replica"}, {6, "second"}} {
		if code := post(t, handler, "s3cret", h.srv.Update(step.id, msg(step.text))); code != http.StatusOK {
			t.Errorf("update %d: %d, want 200", step.id, code)
		}
	}
	for _, want := range []string{"first", "second"} {
		if got := h.nextTurn(t).Text; got != want {
			t.Errorf("turn %q, want %q", got, want)
		}
	}
	if !seen.ids["tg:update:1000:6"] {
		t.Error("update 6 not recorded in the shared store")
	}

	seen.fail = errors.New("redis down")
	post(t, handler, "s3cret", h.srv.Update(8, msg("store down")))
	if got := h.nextTurn(t).Text; got != "store down" {
		t.Errorf("turn %q while the shared store fails, want it handled", got)
	}
	h.bot.queue.Close()
}

func TestWebhookRun(t *testing.T) {
	h := newHarness(t, webhookConfig())
	h.run(t)
	set := h.srv.WaitCall(t, "setWebhook", nil)
	if set.Params["url"] != "https://bot.example.com/tg/hook" || set.Params["secret_token"] != "s3cret" || set.Params["drop_pending_updates"] != "false" {
		t.Errorf("setWebhook params = %v", set.Params)
	}
	addr := h.bot.WebhookAddr() // set before setWebhook is called
	body := h.srv.Update(1, tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "via webhook"})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/tg/hook", bytes.NewReader(body))
	req.Header.Set(secretHeader, "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if got := h.nextTurn(t).Text; got != "via webhook" {
		t.Errorf("turn %q", got)
	}
	if n := len(h.srv.Calls("getUpdates")); n != 0 {
		t.Errorf("%d getUpdates calls in webhook mode", n)
	}
}

func TestWebhookRejectedIsFatal(t *testing.T) {
	h := newHarness(t, webhookConfig())
	h.srv.FailNext("setWebhook", tgtest.BadRequest("bad webhook: HTTPS url must be provided for webhook"))
	if err := h.bot.Run(context.Background()); err == nil {
		t.Fatal("Run succeeded with a rejected webhook")
	}
}
