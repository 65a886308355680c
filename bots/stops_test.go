package bots

import (
	"context"
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
