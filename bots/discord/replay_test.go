package discord

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestRecentIDs(t *testing.T) {
	clock := botstest.NewFakeClock(epoch)
	r := newRecentIDs(clock)
	steps := []struct {
		name    string
		advance time.Duration
		id      string
		want    bool
	}{
		{"first sighting", 0, "a", true},
		{"replay", time.Minute, "a", false},
		{"another id", 0, "b", true},
		{"replay at the window's end", replayWindow - time.Minute - time.Nanosecond, "a", false},
		{"forgotten after the window", time.Nanosecond, "a", true},
		{"newer id still remembered", 0, "b", false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			clock.Advance(s.advance)
			if got := r.Add(s.id); got != s.want {
				t.Errorf("Add(%q) = %v, want %v", s.id, got, s.want)
			}
		})
	}
}

func TestEndpointRefusesReplays(t *testing.T) {
	fake := dctest.New(t)
	eng, turns := submitted()
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	srv := httptest.NewServer(b.InteractionsHandler())
	t.Cleanup(srv.Close)
	i := ask(fake)
	if resp := post(t, srv.URL, fake, i, epoch, false); resp.StatusCode != http.StatusOK {
		t.Fatalf("first delivery: status %d", resp.StatusCode)
	}
	waitTurn(t, turns)
	if resp := post(t, srv.URL, fake, i, epoch.Add(time.Second), false); resp.StatusCode != http.StatusConflict {
		t.Errorf("replay: status %d, want %d", resp.StatusCode, http.StatusConflict)
	}
	ping := fake.Ping()
	for range 2 {
		if resp := post(t, srv.URL, fake, ping, epoch, false); resp.StatusCode != http.StatusOK {
			t.Errorf("repeated PING: status %d, want 200", resp.StatusCode)
		}
	}
	b.wait()
	if n := len(turns); n != 0 {
		t.Errorf("%d more turns after the replay", n)
	}
}

func TestEndpointServerTimeouts(t *testing.T) {
	srv := newEndpointServer(http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Errorf("timeouts: header %v, read %v, write %v, idle %v; want all set",
			srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
}
