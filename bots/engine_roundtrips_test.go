package bots

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

// redisCalls is a go-redis hook recording round trips: one per command
// outside a pipeline (named after it), one per pipeline or transaction.
type redisCalls struct {
	mu    sync.Mutex
	calls []string
}

func (r *redisCalls) add(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, name)
}

// since returns the round trips recorded after the first n.
func (r *redisCalls) since(n int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls[n:])
}

// count returns how many round trips were recorded.
func (r *redisCalls) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

func (r *redisCalls) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *redisCalls) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.add(cmd.Name())
		return next(ctx, cmd)
	}
}

func (r *redisCalls) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.add(fmt.Sprintf("pipeline of %d", len(cmds)))
		return next(ctx, cmds)
	}
}

// TestEngineTurnRedisRoundTrips counts the Redis round trips of one
// ordinary turn (no budgets) after a warm-up turn, which also subscribes
// the stop listener and loads the scripts: lock, load (history and
// settings), append if locked, unlock.
func TestEngineTurnRedisRoundTrips(t *testing.T) {
	rdb := memorytest.Redis(t)
	calls := &redisCalls{}
	rdb.AddHook(calls)
	store := memory.NewStore(rdb, memory.Config{Prefix: memorytest.Prefix(t, rdb)}, quietLog())
	if err := store.SetSettings(t.Context(), "tg:1", memory.Settings{SystemPrompt: "Chat prompt."}); err != nil {
		t.Fatal(err)
	}
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("done") }
	// A long lock TTL keeps the lock's keep-alive out of the count.
	e := newTestEngine(t, Config{LockTTL: time.Hour}, m, store)
	s := newRecSurface()
	turn := func(text string) {
		t.Helper()
		if err := e.Submit(t.Context(), turnFor("tg:1", text, s)); err != nil {
			t.Fatal(err)
		}
		e.Wait()
	}
	turn("warm up")
	before := calls.count()
	turn("counted")
	got := calls.since(before)
	want := []string{"evalsha", "evalsha"} // lock and load, append and release
	if !slices.Equal(got, want) {
		t.Errorf("round trips of one turn: %q, want %q (lock and load, append and release)", got, want)
	}
	reqs := m.Requests()
	if len(reqs) != 2 || reqs[1].System != "Chat prompt." {
		t.Fatalf("%d requests, last system prompt %q: want the chat's setting read by the load", len(reqs), reqs[len(reqs)-1].System)
	}
	if turns := loadTurns(t, store, "tg:1"); len(turns) != 2 || turns[1].User != "counted" {
		t.Errorf("stored %+v, want both turns", turns)
	}
}
