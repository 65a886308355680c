package bots

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

var (
	_ stopBus = (*memory.Store)(nil)
	_ stopBus = (*memory.Embedded)(nil)
)

func TestStopReachesTheReplicaRunningTheTurn(t *testing.T) {
	rdb := memorytest.Redis(t)
	prefix := memorytest.Prefix(t, rdb)
	cfg := memory.Config{Prefix: prefix}
	storeA, storeB := memory.NewStore(rdb, cfg, quietLog()), memory.NewStore(rdb, cfg, quietLog())
	m := newFakeModel()
	a := newTestEngine(t, Config{}, m, storeA)
	b := newTestEngine(t, Config{}, newFakeModel(), storeB)
	ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
	defer cancel()

	if b.Stop("tg:1") || stopped(b.StopTurn("tg:1", "x.1", Presser{Sender: Sender{Admin: true}})) {
		t.Fatal("Stop reported a turn while no replica runs one")
	}
	s := newRecSurface()
	if err := a.Submit(ctx, turnFor("tg:1", "long question", s)); err != nil {
		t.Fatal(err)
	}
	st := m.Next(t)
	st.Steps <- step{ev: llmAnswer("partial answer")}
	s.WaitText(t, "partial answer")
	waitSubscribers(ctx, t, rdb, prefix+"stop", 1)

	if !b.Stop("tg:1") {
		t.Fatal("Stop on the other replica = false, want the running turn stopped")
	}
	s.WaitText(t, enCatalog().Stopped)
	a.Wait()
	turns := loadTurns(t, storeB, "tg:1")
	if len(turns) != 1 || !turns[0].Stopped || turns[0].Assistant != "partial answer" {
		t.Errorf("stored %+v, want the stopped turn", turns)
	}
}

// waitSubscribers polls Redis until channel has at least n subscribers:
// an engine subscribes in the background once its first turn arrives.
func waitSubscribers(ctx context.Context, t *testing.T, rdb redis.UniversalClient, channel string, n int64) {
	t.Helper()
	for {
		counts, err := rdb.PubSubNumSub(ctx, channel).Result()
		if err != nil {
			t.Fatalf("count subscribers of %s: %v", channel, err)
		}
		if counts[channel] >= n {
			return
		}
		select {
		case <-time.After(5 * time.Millisecond):
		case <-ctx.Done():
			t.Fatalf("%s has %d subscribers, want %d", channel, counts[channel], n)
		}
	}
}

// TestStopCommandOfTurnsOnAnotherReplica: a /stop whose turns all run on
// the other replica asks that replica to stop them, and says it stopped,
// not that nothing runs.
func TestStopCommandOfTurnsOnAnotherReplica(t *testing.T) {
	admin := Command{Name: CmdStop, Chat: "tg:-1", User: "tg:9", Sender: Sender{ID: "9", Admin: true}}
	asker := Command{Name: CmdStop, Chat: "tg:-1", User: "tg:1", Sender: Sender{ID: "1"}}
	tests := []struct {
		name    string
		cmd     Command
		askers  []int // the askers of the turns running on a
		waiting bool  // b has a turn of asker 1 waiting for a's lock
	}{
		{name: "an admin's, one turn", cmd: admin, askers: []int{1}},
		{name: "an admin's, two askers' turns", cmd: admin, askers: []int{1, 2}},
		{name: "an admin's, b's own turn waiting for the lock", cmd: admin, askers: []int{1}, waiting: true},
		{name: "the asker's own", cmd: asker, askers: []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rdb := memorytest.Redis(t)
			prefix := memorytest.Prefix(t, rdb)
			cfg := memory.Config{Prefix: prefix}
			storeA, storeB := memory.NewStore(rdb, cfg, quietLog()), memory.NewStore(rdb, cfg, quietLog())
			ma, mb := newFakeModel(), newFakeModel()
			a := newTestEngine(t, Config{}, ma, storeA)
			b := newTestEngine(t, Config{}, mb, storeB)
			ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
			defer cancel()
			var surfaces []*recSurface
			for _, n := range tt.askers {
				s := newRecSurface()
				if err := a.Submit(ctx, groupTurn("tg:-1", n, "long question", s)); err != nil {
					t.Fatal(err)
				}
				ma.Next(t).Steps <- step{ev: llmAnswer("partial answer")}
				s.WaitText(t, "partial answer")
				surfaces = append(surfaces, s)
			}
			sb := newRecSurface()
			if tt.waiting {
				if err := b.Submit(ctx, groupTurn("tg:-1", 1, "next question", sb)); err != nil {
					t.Fatal(err)
				}
			}
			waitSubscribers(ctx, t, rdb, prefix+"stop", 1)

			reply := newRecSurface()
			tt.cmd.Surface = reply
			if err := b.Command(ctx, tt.cmd); err != nil {
				t.Fatal(err)
			}
			if got := reply.WaitFor(t, "the /stop reply", func(x []string) bool { return len(x) > 0 }); got[0] != enCatalog().StopDone {
				t.Errorf("/stop answered %q, want %q", got[0], enCatalog().StopDone)
			}
			for _, s := range surfaces {
				s.WaitText(t, enCatalog().Stopped)
			}
			if tt.waiting { // b's turn was not stopped: it runs once a's lock is free
				mb.Next(t).Answer("next answer")
				sb.WaitText(t, "next answer")
			}
			a.Wait()
			b.Wait()
		})
	}
}

// endingStore is a store whose Lockers, after counting, runs then (when
// set): a turn can end between the count and what Stop does next.
type endingStore struct {
	*memory.Store
	mu   sync.Mutex
	then func()
}

// Lockers counts the chat's locks, then runs then once.
func (s *endingStore) Lockers(ctx context.Context, chat string) (int, error) {
	n, err := s.Store.Lockers(ctx, chat)
	s.mu.Lock()
	then := s.then
	s.then = nil
	s.mu.Unlock()
	if then != nil {
		then()
	}
	return n, err
}

// holdFinal is a surface whose edits showing sub wait for release, so
// the turn delivering them keeps its lock meanwhile.
type holdFinal struct {
	*recSurface
	sub           string
	held, release chan struct{}
	once          sync.Once
}

// Edit implements Surface.
func (s *holdFinal) Edit(ctx context.Context, ref MessageRef, m Outgoing) error {
	if strings.Contains(m.Text, s.sub) {
		s.once.Do(func() { close(s.held) })
		<-s.release
	}
	return s.recSurface.Edit(ctx, ref, m)
}

// TestStopOfATurnEndingMeanwhileAsksNoOtherReplica: a turn of ours that
// releases its lock while Stop counts the chat's locks is not taken for
// another replica's, so Stop reports that nothing ran.
func TestStopOfATurnEndingMeanwhileAsksNoOtherReplica(t *testing.T) {
	m := newFakeModel()
	store := &endingStore{Store: newRedisStore(t)}
	e := newTestEngine(t, Config{}, m, store)
	s := &holdFinal{recSurface: newRecSurface(), sub: enCatalog().Stopped, held: make(chan struct{}), release: make(chan struct{})}
	if err := e.Submit(t.Context(), turnFor("tg:1", "long question", s)); err != nil {
		t.Fatal(err)
	}
	m.Next(t).Steps <- step{ev: llmAnswer("partial answer")}
	s.WaitText(t, "partial answer")
	if !e.Stop("tg:1") {
		t.Fatal("Stop of a running turn reported false")
	}
	<-s.held // the stopped turn delivers its final, holding its lock
	store.mu.Lock()
	store.then = func() { // the turn ends once its lock was counted
		close(s.release)
		e.Wait()
	}
	store.mu.Unlock()
	if e.Stop("tg:1") {
		t.Error("second Stop reported true: the ending turn was taken for another replica's")
	}
	turns := loadTurns(t, store, "tg:1")
	if len(turns) != 1 || !turns[0].Stopped {
		t.Errorf("stored %+v, want the stopped turn", turns)
	}
}
