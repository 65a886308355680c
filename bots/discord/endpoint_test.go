package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

// submitted returns a fake engine that reports each turn on a channel.
func submitted() (*fakeEngine, chan bots.Turn) {
	ch := make(chan bots.Turn, 4)
	return &fakeEngine{submit: func(_ context.Context, t bots.Turn) error { ch <- t; return nil }}, ch
}

func TestInteractionsEndpoint(t *testing.T) {
	tests := []struct {
		name     string
		body     func(fake *dctest.Server) any
		at       time.Duration // signature time relative to the clock
		tamper   bool
		status   int
		respType int
		turn     bool
	}{
		{"ping", func(f *dctest.Server) any { return f.Ping() }, 0, false, http.StatusOK, 1, false},
		{"ask", func(f *dctest.Server) any {
			return f.Command(guildUser, "ask", dctest.String("prompt", "hi"))
		}, 0, false, http.StatusOK, 5, true},
		{"refused", func(f *dctest.Server) any {
			return f.Command(withRoles(guildUser), "ask", dctest.String("prompt", "hi"))
		}, 0, false, http.StatusOK, 4, false},
		{"bad signature", func(f *dctest.Server) any { return f.Ping() }, 0, true, http.StatusUnauthorized, 0, false},
		{"stale timestamp", func(f *dctest.Server) any { return f.Ping() }, -6 * time.Minute, false, http.StatusUnauthorized, 0, false},
		{"future timestamp", func(f *dctest.Server) any { return f.Ping() }, 6 * time.Minute, false, http.StatusUnauthorized, 0, false},
		{"slightly old", func(f *dctest.Server) any { return f.Ping() }, -4 * time.Minute, false, http.StatusOK, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng, turns := submitted()
			cfg := testConfig(fake, botstest.NewFakeClock(epoch))
			if tt.name == "refused" {
				cfg.AllowedUsers = []string{"u9"}
			}
			b := newTestBot(t, fake, cfg, eng)
			srv := httptest.NewServer(b.InteractionsHandler())
			t.Cleanup(srv.Close)
			body, err := json.Marshal(tt.body(fake))
			if err != nil {
				t.Fatal(err)
			}
			h := fake.Sign(body, epoch.Add(tt.at))
			if tt.tamper {
				body = append(bytes.TrimSuffix(body, []byte("}")), []byte(`,"x":1}`)...)
			}
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, bytes.NewReader(body))
			req.Header = h
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status != http.StatusOK {
				return
			}
			var got struct {
				Type int `json:"type"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.Type != tt.respType {
				t.Fatalf("response type = %d (%v), want %d", got.Type, err, tt.respType)
			}
			if tt.turn {
				tr := waitTurn(t, turns)
				if _, err := tr.Surface.Send(t.Context(), out("answer")); err != nil {
					t.Fatal(err)
				}
				if m := fake.Messages(); len(m) != 1 || m[0].Kind != dctest.KindOriginal || m[0].Content != "answer" {
					t.Errorf("messages = %+v", m)
				}
			}
			if len(fake.Callbacks()) != 0 {
				t.Errorf("callbacks = %+v: the HTTP endpoint answers in its response", fake.Callbacks())
			}
		})
	}
}

// waitTurn receives the next submitted turn.
func waitTurn(t *testing.T, turns <-chan bots.Turn) bots.Turn {
	t.Helper()
	select {
	case tr := <-turns:
		return tr
	case <-time.After(10 * time.Second):
		t.Fatal("no turn submitted")
		return bots.Turn{}
	}
}

func TestInteractionsEndpointRejectsOtherMethods(t *testing.T) {
	fake := dctest.New(t)
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), &fakeEngine{})
	rec := httptest.NewRecorder()
	b.InteractionsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET status = %d", rec.Code)
	}
}

func TestThreadParent(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"thread", `{"channel":{"id":"t1","type":11,"parent_id":"c1"}}`, "c1"},
		{"text channel in a category", `{"channel":{"id":"c1","type":0,"parent_id":"cat"}}`, ""},
		{"no channel", `{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := threadParent([]byte(tt.body)); got != tt.want {
				t.Errorf("threadParent = %q, want %q", got, tt.want)
			}
		})
	}
}
