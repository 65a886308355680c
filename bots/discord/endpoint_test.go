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
		users    []string // allow-list
		status   int
		respType int
		turn     bool
	}{
		{name: "ping", body: ping, status: http.StatusOK, respType: 1},
		{name: "ask", body: ask, status: http.StatusOK, respType: 5, turn: true},
		{name: "refused", body: ask, users: []string{"u9"}, status: http.StatusOK, respType: 4},
		{name: "bad signature", body: ping, tamper: true, status: http.StatusUnauthorized},
		{name: "bad signature on a command", body: ask, tamper: true, status: http.StatusUnauthorized},
		{name: "stale timestamp", body: ping, at: -6 * time.Minute, status: http.StatusUnauthorized},
		{name: "future timestamp", body: ping, at: 6 * time.Minute, status: http.StatusUnauthorized},
		{name: "slightly old", body: ping, at: -4 * time.Minute, status: http.StatusOK, respType: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng, turns := submitted()
			cfg := testConfig(fake, botstest.NewFakeClock(epoch))
			cfg.AllowedUsers = tt.users
			b := newTestBot(t, fake, cfg, eng)
			srv := httptest.NewServer(b.InteractionsHandler())
			t.Cleanup(srv.Close)
			resp := post(t, srv.URL, fake, tt.body(fake), epoch.Add(tt.at), tt.tamper)
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

// ping and ask build interactions for the endpoint tests.
func ping(f *dctest.Server) any { return f.Ping() }
func ask(f *dctest.Server) any  { return f.Command(guildUser, "ask", dctest.String("prompt", "hi")) }

// post signs i at ts and POSTs it to url, with the body changed after
// signing when tamper is set. The response is closed by the test's end.
func post(t *testing.T, url string, fake *dctest.Server, i any, ts time.Time, tamper bool) *http.Response {
	t.Helper()
	body, err := json.Marshal(i)
	if err != nil {
		t.Fatal(err)
	}
	h := fake.Sign(body, ts)
	if tamper {
		body = append(bytes.TrimSuffix(body, []byte("}")), []byte(`,"x":1}`)...)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestFirstEditRetriedUntilHTTPAckIsKnown(t *testing.T) {
	fake := dctest.New(t)
	eng, turns := submitted()
	clock := newSpyClock(epoch)
	b := newTestBot(t, fake, testConfig(fake, clock), eng)
	srv := httptest.NewServer(b.InteractionsHandler())
	t.Cleanup(srv.Close)
	i := fake.Command(guildUser, "ask", dctest.String("prompt", "hi"))
	if resp := post(t, srv.URL, fake, i, epoch, false); resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	tr := waitTurn(t, turns)
	fake.Inject(dctest.Error(http.MethodPatch, "/webhooks/"+dctest.AppID+"/"+i.Token+"/messages/@original",
		http.StatusNotFound, 10015, "Unknown Webhook"))
	done := make(chan error, 1)
	go func() {
		_, err := tr.Surface.Send(t.Context(), out("answer"))
		done <- err
	}()
	// Wait for the retry's own timer: counting pending timers also counts
	// the deferred response's watcher, and hung here when that changed.
	clock.waitAfter(t, ackRetryDelay, "the retry of the rejected first edit")
	clock.Advance(ackRetryDelay)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Send did not return once the retry delay passed; requests: %+v", fake.Requests())
	}
	if m := fake.Messages(); len(m) != 1 || m[0].Kind != dctest.KindOriginal || m[0].Content != "answer" {
		t.Errorf("messages = %+v, want the original response filled", m)
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
