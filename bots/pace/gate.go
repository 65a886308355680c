package pace

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Gate schedules the requests one chat makes to its platform. It is shared
// by every reply in the chat and outlives them, so a new reply still
// respects what earlier ones spent and any pause after a 429.
//
// A Gate models what the platform allows the chat (Limits):
//   - a token bucket of PerSecond requests with bursts of Burst (Telegram
//     private chats, Discord channels),
//   - at most WindowCap requests per rolling Window (Telegram groups),
//   - a pause until a given time after the platform answered 429,
//
// and spends it so that a reply's first text and its final state go out at
// once: they wait only for those limits, while an intermediate state also
// waits EditInterval after the chat's previous request and must leave, in
// the bucket and in the window, the headroom Reserve promised to the
// chat's replies' firsts and finals. Requests are served highest Priority
// first, then in arrival order; several replies' requests may be in flight
// at once (up to maxInFlight; each Reply makes one at a time, so no
// message ever has two). Across chats every request also takes a token
// from the per-bot Budget, by the same priority.
//
// Every successful Wait or TryAction must be followed by exactly one Done
// once the request has completed. A Gate is safe for concurrent use.
type Gate struct {
	limits Limits
	global *Budget
	clock  Clock

	mu       sync.Mutex
	inflight int           // requests being made
	waiters  []*gateWaiter // in arrival order
	seq      uint64        // arrivals so far
	changed  chan struct{} // closed and replaced when a waiter should look again
	reserved int           // firsts and finals promised to the chat's replies
	tokens   float64       // the bucket's tokens at bucketAt
	bucketAt time.Time     // when tokens was computed
	last     time.Time     // start of the latest message request
	ring     []time.Time   // starts within the rolling window, oldest at head
	head     int
	count    int
	paused   time.Time // no request before this
	used     time.Time // latest activity, for Gates' eviction
}

// maxInFlight bounds a chat's requests in flight at once: the replies
// streaming side by side in a group show their first words and finals
// together, not one round trip after another.
const maxInFlight = 8

// bucketEps is the shortfall of tokens that still counts as a whole token:
// it absorbs rounding in the refill, so a wait computed for a token ends
// with the token there.
const bucketEps = 1e-6

// gateWaiter is one request waiting for the chat.
type gateWaiter struct {
	p   Priority
	seq uint64
}

// NewGate returns a Gate enforcing l for one chat, drawing every request
// from global as well. global may be nil (no per-bot budget); clock may be
// nil (SystemClock).
func NewGate(l Limits, global *Budget, clock Clock) *Gate {
	if clock == nil {
		clock = SystemClock{}
	}
	if l.WindowCap > 0 && l.Window <= 0 {
		l.Window = time.Minute
	}
	if l.PerSecond > 0 && l.Burst < 1 {
		l.Burst = 1
	}
	now := clock.Now()
	g := &Gate{limits: l, global: global, clock: clock, changed: make(chan struct{}),
		tokens: float64(l.Burst), bucketAt: now, used: now}
	if l.WindowCap > 0 {
		g.ring = make([]time.Time, l.WindowCap)
	}
	return g
}

// Wait blocks until the chat may make a message request (send, edit, draft
// or delete) of priority p, then holds the chat and records the request as
// started now. The caller makes the request and then calls Done. Wait
// returns an error, holding nothing, when ctx ends first.
//
// While waiting for its per-bot token a request holds nothing: should a
// request of higher priority arrive meanwhile, it goes first and the token
// goes back to the budget.
func (g *Gate) Wait(ctx context.Context, p Priority) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("wait for chat slot: %w", err)
	}
	w := g.join(p)
	defer g.leave(w)
	for {
		g.mu.Lock()
		d := g.readyLocked(w, g.clock.Now())
		changed := g.changed
		g.mu.Unlock()
		if d == 0 {
			if err := g.waitGlobal(ctx, p); err != nil {
				return err
			}
			if g.take(w) {
				return nil
			}
			g.refund()
			continue
		}
		var timer <-chan time.Time
		if d > 0 {
			timer = g.clock.After(d)
		}
		select {
		case <-timer:
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("wait for chat pace: %w", ctx.Err())
		}
	}
}

// join queues a waiter of priority p.
func (g *Gate) join(p Priority) *gateWaiter {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	w := &gateWaiter{p: p, seq: g.seq}
	g.waiters = append(g.waiters, w)
	g.notifyLocked() // a higher priority may overtake the current head
	return w
}

// leave removes w from the queue if it is still there.
func (g *Gate) leave(w *gateWaiter) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if i := slices.Index(g.waiters, w); i >= 0 {
		g.waiters = slices.Delete(g.waiters, i, i+1)
		g.notifyLocked()
	}
}

// take makes w's request if it may still go now, and reports whether it
// did.
func (g *Gate) take(w *gateWaiter) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.clock.Now()
	if g.readyLocked(w, now) != 0 {
		return false
	}
	g.waiters = slices.DeleteFunc(g.waiters, func(x *gateWaiter) bool { return x == w })
	g.inflight++
	g.recordLocked(now)
	return true
}

// readyLocked returns 0 when w may make its request at now, how long it
// must sleep before looking again, or -1 when it must wait for a change
// (another request ends, one of higher priority goes first).
func (g *Gate) readyLocked(w *gateWaiter, now time.Time) time.Duration {
	if g.inflight >= maxInFlight || g.headLocked() != w {
		return -1
	}
	return g.delayLocked(w.p, now)
}

// headLocked returns the waiter to serve next: the highest priority, the
// earliest arrival.
func (g *Gate) headLocked() *gateWaiter {
	var h *gateWaiter
	for _, w := range g.waiters {
		if h == nil || w.p > h.p {
			h = w
		}
	}
	return h
}

// notifyLocked wakes every waiter to look again.
func (g *Gate) notifyLocked() {
	close(g.changed)
	g.changed = make(chan struct{})
}

// refund returns a token taken from the per-bot budget but not used.
func (g *Gate) refund() {
	if g.global != nil {
		g.global.refund()
	}
}

// TryAction takes the chat for a chat action (a "typing…" indicator)
// without waiting, and reports whether it did. Chat actions do not change
// messages, so they neither wait for nor count towards the chat's limits;
// they are skipped while a request is made or waits, while the chat is
// paused after a 429, and when the per-bot budget has no token to spare
// right now. Call Done after the request when it returns true.
func (g *Gate) TryAction() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.inflight > 0 || len(g.waiters) > 0 || g.paused.After(g.clock.Now()) {
		return false
	}
	if g.global != nil && !g.global.Allow() {
		return false
	}
	g.inflight++
	return true
}

// Done ends a request started by Wait or TryAction.
func (g *Gate) Done() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.inflight--
	g.used = g.clock.Now()
	g.notifyLocked()
}

// Pause stops the chat's requests for d from now, as the platform asked
// with a 429. Only this chat waits; a request already past Wait is not
// recalled. A shorter pause never shortens a longer one.
func (g *Gate) Pause(d time.Duration) {
	until := g.clock.Now().Add(d)
	g.mu.Lock()
	defer g.mu.Unlock()
	if until.After(g.paused) {
		g.paused = until
		g.notifyLocked()
	}
}

// Reserve promises n requests of PriorityFirst or PriorityFinal to come
// (a reply promises its first text and its final state when it starts):
// intermediate states leave room for them in the chat's limits, so they go
// out at once when they come. Release takes the promise back.
func (g *Gate) Reserve(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.reserved += n
}

// Release takes back n requests promised by Reserve, once made or no
// longer needed.
func (g *Gate) Release(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.reserved = max(g.reserved-n, 0)
	g.notifyLocked()
}

// waitGlobal takes one token from the per-bot budget, waiting for it.
func (g *Gate) waitGlobal(ctx context.Context, p Priority) error {
	if g.global == nil {
		return nil
	}
	return g.global.Wait(ctx, p)
}

// delayLocked returns how long a request of priority p must still wait at
// now for the chat's limits.
func (g *Gate) delayLocked(p Priority, now time.Time) time.Duration {
	d := max(g.paused.Sub(now), 0)
	// An intermediate state leaves the promised firsts and finals their
	// room; the room kept is capped so that one intermediate state still
	// fits an empty bucket or window.
	var keep int
	if p <= PriorityIntermediate {
		keep = g.reserved
		if !g.last.IsZero() && g.limits.EditInterval > 0 {
			d = max(d, g.last.Add(g.limits.EditInterval).Sub(now))
		}
	}
	if g.limits.PerSecond > 0 {
		g.refillLocked(now)
		need := 1 + float64(min(keep, g.limits.Burst-1))
		if short := need - g.tokens; short > bucketEps {
			d = max(d, time.Duration(short/g.limits.PerSecond*float64(time.Second)))
		}
	}
	if len(g.ring) > 0 {
		g.pruneLocked(now)
		// k requests must leave the window first.
		if k := g.count + 1 + min(keep, g.limits.WindowCap-1) - g.limits.WindowCap; k > 0 {
			d = max(d, g.ring[(g.head+k-1)%len(g.ring)].Add(g.limits.Window).Sub(now))
		}
	}
	return d
}

// refillLocked adds the bucket's tokens earned since it was last computed.
func (g *Gate) refillLocked(now time.Time) {
	if el := now.Sub(g.bucketAt); el > 0 {
		g.tokens = min(float64(g.limits.Burst), g.tokens+el.Seconds()*g.limits.PerSecond)
		g.bucketAt = now
	}
}

// pruneLocked forgets requests that left the rolling window.
func (g *Gate) pruneLocked(now time.Time) {
	for g.count > 0 && !g.ring[g.head].Add(g.limits.Window).After(now) {
		g.head = (g.head + 1) % len(g.ring)
		g.count--
	}
}

// recordLocked notes a message request started at now.
func (g *Gate) recordLocked(now time.Time) {
	g.last = now
	g.used = now
	if g.limits.PerSecond > 0 {
		g.refillLocked(now)
		g.tokens = max(g.tokens-1, -float64(g.limits.Burst)) // below 0 only if the clock went back
	}
	if len(g.ring) == 0 {
		return
	}
	g.pruneLocked(now)
	if g.count == len(g.ring) { // only if the clock went backwards
		g.head = (g.head + 1) % len(g.ring)
		g.count--
	}
	g.ring[(g.head+g.count)%len(g.ring)] = now
	g.count++
}

// record notes a message request started at now (for tests that set a
// gate up).
func (g *Gate) record(now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.recordLocked(now)
}

// idleSince reports when the gate was last active (or will stop being
// paused), and whether nothing uses it now.
func (g *Gate) idleSince() (time.Time, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	since := g.used
	if g.paused.After(since) {
		since = g.paused
	}
	return since, g.inflight == 0 && len(g.waiters) == 0 && g.reserved == 0
}
