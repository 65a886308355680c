package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestScrub(t *testing.T) {
	const token = "123:SECRET"
	tests := []struct {
		name     string
		err      error
		canceled bool
	}{
		{"url error", &url.Error{Op: "Post", URL: "https://api.telegram.org/bot123:SECRET/getMe", Err: errors.New("connection refused")}, false},
		{"url error with canceled context", &url.Error{Op: "Post", URL: "https://x/bot123:SECRET/getUpdates", Err: context.Canceled}, true},
		{"wrapped url error", fmt.Errorf("post: %w", &url.Error{Op: "Post", URL: "https://x/bot123:SECRET/m", Err: context.Canceled}), true},
		{"token in the inner error", &url.Error{Op: "Get", URL: "https://x/file/bot123:SECRET/a", Err: errors.New("redirect to /bot123:SECRET/b")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scrub(tt.err, token)
			if strings.Contains(got.Error(), "SECRET") || strings.Contains(fmt.Sprintf("%+v %#v", got, got), "SECRET") {
				t.Errorf("token left in %v", got)
			}
			if errors.Is(got, context.Canceled) != tt.canceled {
				t.Errorf("errors.Is(context.Canceled) = %v, want %v", !tt.canceled, tt.canceled)
			}
			for u := errors.Unwrap(got); u != nil; u = errors.Unwrap(u) {
				if strings.Contains(u.Error(), "SECRET") {
					t.Errorf("token reachable by unwrapping: %v", u)
				}
			}
		})
	}
}

func TestTokenNeverLeaks(t *testing.T) {
	h := newHarness(t, Config{})
	token := h.srv.Token
	h.srv.Close() // every request now fails to connect
	h.run(t)
	h.logs.waitFor(t, "get updates failed")
	_, err := h.bot.surface(chatRef{ID: 11, Private: true}).Send(context.Background(), bots.Outgoing{Text: "x"})
	if err == nil {
		t.Fatal("Send to a closed server succeeded")
	}
	_, dlErr := h.bot.fetch(context.Background(), "photos/x.jpg", 10)
	for _, e := range []error{err, dlErr} {
		if e == nil || strings.Contains(e.Error(), token) || strings.Contains(fmt.Sprintf("%+v", e), token) {
			t.Errorf("error %v leaks the token", e)
		}
	}
	if strings.Contains(h.logs.String(), token) {
		t.Errorf("log leaks the token:\n%s", h.logs.String())
	}
	if !strings.Contains(h.logs.String(), "<token>") {
		t.Errorf("log does not show the redacted URL:\n%s", h.logs.String())
	}
}

func TestNewFailsWithoutLeaking(t *testing.T) {
	srv := tgtest.NewServer(t)
	url := srv.URL
	srv.Close()
	eng := &fakeEngine{}
	_, err := New(srv.Token, Config{APIURL: url}, eng, http.DefaultClient, nil, nil)
	if err == nil || strings.Contains(err.Error(), srv.Token) {
		t.Errorf("New = %v: want an error without the token", err)
	}
	_, err = New("wrong:token", Config{APIURL: tgtest.NewServer(t).URL}, eng, http.DefaultClient, nil, nil)
	var ae *apiError
	if !errors.As(err, &ae) || ae.Code != 401 || strings.Contains(err.Error(), "wrong:token") {
		t.Errorf("New with a bad token = %v, want a 401 without the token", err)
	}
}

func TestNewValidates(t *testing.T) {
	srv := tgtest.NewServer(t)
	tests := []struct {
		name  string
		token string
		cfg   Config
		want  string
	}{
		{"empty token", "", Config{}, "token is empty"},
		{"unknown mode", srv.Token, Config{Mode: "push"}, `unknown mode "push"`},
		{"webhook without secret", srv.Token, Config{Mode: ModeWebhook, WebhookURL: "https://x/tg", WebhookListen: ":0"}, "webhook secret"},
		{"webhook without url", srv.Token, Config{Mode: ModeWebhook, WebhookSecret: "s"}, "webhook URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.APIURL = srv.URL
			_, err := New(tt.token, tt.cfg, &fakeEngine{}, srv.Client(), nil, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error about %q", err, tt.want)
			}
		})
	}
}
