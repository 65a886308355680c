package bots

import (
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

var (
	_ replicaBus = (*memory.Store)(nil)
	_ replicaBus = (*memory.Embedded)(nil)
)

// TestReplicasShareThePerBotBudgets: two replicas on one Redis each take
// half of every per-bot budget, from the moment the second starts and at
// every beat after; once one shuts down, the other takes it all back.
func TestReplicasShareThePerBotBudgets(t *testing.T) {
	rdb := memorytest.Redis(t)
	scfg := memory.Config{Prefix: memorytest.Prefix(t, rdb)}
	clk := botstest.NewFakeClock(time.Now())
	cfg := Config{Clock: clk, GlobalPerSecond: map[string]int{"tg": 25, "dc": 40}}
	a := newTestEngine(t, cfg, newFakeModel(), memory.NewStore(rdb, scfg, quietLog()))
	b := newTestEngine(t, cfg, newFakeModel(), memory.NewStore(rdb, scfg, quietLog()))
	check := func(name string, e *Engine, tg float64, tgBurst int, dc float64, dcBurst int) {
		t.Helper()
		if r, burst := e.budgets["tg"].Rate(); r != tg || burst != tgBurst {
			t.Errorf("%s: Telegram budget %v/s, burst %d, want %v/s, burst %d", name, r, burst, tg, tgBurst)
		}
		if r, burst := e.budgets["dc"].Rate(); r != dc || burst != dcBurst {
			t.Errorf("%s: Discord budget %v/s, burst %d, want %v/s, burst %d", name, r, burst, dc, dcBurst)
		}
	}
	beat := func(waiting int) {
		t.Helper()
		clk.BlockUntil(waiting)
		clk.Advance(replicaBeat)
		clk.BlockUntil(waiting) // each has beaten and waits for the next beat
	}

	a.ShareBudgets()
	check("a alone", a, 25, 25, 40, 40)
	b.ShareBudgets()
	check("b, second", b, 12.5, 12, 20, 20)
	beat(2)
	check("a, after a beat", a, 12.5, 12, 20, 20)
	check("b, after a beat", b, 12.5, 12, 20, 20)

	if err := b.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	beat(1)
	check("a, once b left", a, 25, 25, 40, 40)
}

// TestShareBudgetsWithoutBudgets: an engine without per-bot budgets
// starts nothing.
func TestShareBudgetsWithoutBudgets(t *testing.T) {
	clk := botstest.NewFakeClock(time.Now())
	e := newTestEngine(t, Config{Clock: clk}, newFakeModel(), newEmbeddedStore(t))
	e.ShareBudgets()
	if e.sharing || clk.Waiters() != 0 {
		t.Errorf("sharing %v with %d timers, want nothing started", e.sharing, clk.Waiters())
	}
}
