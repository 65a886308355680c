package pace

import (
	"sync"
	"time"
)

// gateIdleTTL is how long an unused chat's Gate is kept. It is far longer
// than any pacing window, so a chat that comes back later starts fresh
// without having lost anything that still mattered.
const gateIdleTTL = 10 * time.Minute

// gateSweepEvery is how often Get looks for idle gates to drop.
const gateSweepEvery = time.Minute

// Gates holds one Gate per chat key, all drawing from one per-bot budget.
// Gates idle for more than 10 minutes (and not paused beyond that) are
// dropped, so memory stays bounded by the chats active recently. A reply
// should Get its chat's Gate when it starts and use it to the end. Gates is
// safe for concurrent use.
type Gates struct {
	global *Budget
	clock  Clock

	mu    sync.Mutex
	m     map[string]*Gate
	swept time.Time
}

// NewGates returns an empty registry whose gates share global (nil: no
// per-bot budget) and tell time with clock (nil: SystemClock).
func NewGates(global *Budget, clock Clock) *Gates {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Gates{global: global, clock: clock, m: make(map[string]*Gate), swept: clock.Now()}
}

// Get returns the Gate of chatKey, creating it with l when the chat has none.
// An existing gate keeps the limits it was created with (a chat's limits do
// not change).
func (gs *Gates) Get(chatKey string, l Limits) *Gate {
	now := gs.clock.Now()
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if now.Sub(gs.swept) >= gateSweepEvery {
		gs.sweepLocked(now)
	}
	g, ok := gs.m[chatKey]
	if !ok {
		g = NewGate(l, gs.global, gs.clock)
		gs.m[chatKey] = g
		return g
	}
	g.mu.Lock()
	g.used = now
	g.mu.Unlock()
	return g
}

// sweepLocked drops gates idle for longer than gateIdleTTL.
func (gs *Gates) sweepLocked(now time.Time) {
	gs.swept = now
	for k, g := range gs.m {
		since, free := g.idleSince()
		if free && now.Sub(since) > gateIdleTTL {
			delete(gs.m, k)
		}
	}
}

// size returns the number of gates held.
func (gs *Gates) size() int {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	return len(gs.m)
}
