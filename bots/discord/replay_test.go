package discord

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

var _ deduper = (*memory.Store)(nil)

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

func TestReplaysRefusedAcrossInstances(t *testing.T) {
	rdb := memorytest.Redis(t)
	store := memory.NewStore(rdb, memory.Config{Prefix: memorytest.Prefix(t, rdb)}, nil)
	fake := dctest.New(t)
	eng, turns := submitted()
	// first and second are two replicas, or one process before and after a
	// restart: they share only the store.
	first := newSharedBot(t, fake, testConfig(fake, bots.SystemClock{}), eng, store)
	second := newSharedBot(t, fake, testConfig(fake, bots.SystemClock{}), eng, store)

	t.Run("HTTP interaction", func(t *testing.T) {
		i := ask(fake)
		for k, b := range []*Bot{first, second} {
			srv := httptest.NewServer(b.InteractionsHandler())
			t.Cleanup(srv.Close)
			want := []int{http.StatusOK, http.StatusConflict}[k]
			if resp := post(t, srv.URL, fake, i, time.Now(), false); resp.StatusCode != want {
				t.Errorf("delivery %d: status %d, want %d", k+1, resp.StatusCode, want)
			}
		}
		waitTurn(t, turns)
	})
	t.Run("gateway interaction", func(t *testing.T) {
		i := fake.Command(guildUser, "ask", dctest.String("prompt", "hi"))
		before := len(fake.Callbacks())
		first.interact(i)
		second.interact(i)
		waitTurn(t, turns)
		if n := len(fake.Callbacks()) - before; n != 1 {
			t.Errorf("interaction answered %d times, want once", n)
		}
	})
	t.Run("gateway message", func(t *testing.T) {
		m := mention("700", "what is this?")
		first.receive(m)
		second.receive(m)
		waitTurn(t, turns)
	})
	t.Run("message to two bots sharing the store", func(t *testing.T) {
		other := newSharedBot(t, fake, testConfig(fake, bots.SystemClock{}), eng, store)
		other.onReady(other.sess, &discordgo.Ready{User: &discordgo.User{ID: "102"}})
		m := mention("701", "<@102> both of you?")
		m.Mentions = append(m.Mentions, &discordgo.User{ID: "102", Username: "otherbot", Bot: true})
		first.receive(m)
		other.receive(m)
		waitTurn(t, turns)
		waitTurn(t, turns)
	})
	first.wait()
	second.wait()
	if n := len(turns); n != 0 {
		t.Errorf("%d turns submitted twice", n)
	}
}
