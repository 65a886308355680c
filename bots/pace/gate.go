package pace

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Gate paces the requests one chat makes to its platform. It is shared by
// every reply in the chat and outlives them, so a new turn still respects
// the previous turn's pace and any pause after a 429.
//
// A Gate enforces, per chat:
//   - one request in flight at a time (the holder of the chat's slot),
//   - Limits.EditInterval between the starts of two message requests,
//   - at most Limits.WindowCap message requests per rolling Limits.Window
//     (a minute when Window is zero),
//   - a pause until a given time after the platform answered 429,
//
// and, across chats, a per-bot budget: a shared *Budget that serves waiting
// requests by Priority.
//
// Every successful Wait or TryAction must be followed by exactly one Done
// once the request has completed. A Gate is safe for concurrent use.
type Gate struct {
	limits Limits
	global *Budget
	clock  Clock
	slot   chan struct{}

	mu     sync.Mutex
	last   time.Time   // start of the latest message request
	ring   []time.Time // starts within the rolling window, oldest at head
	head   int
	count  int
	paused time.Time // no request before this
	used   time.Time // latest activity, for Gates' eviction
}

// NewGate returns a Gate enforcing l's EditInterval, WindowCap and Window
// for one chat, drawing every request from global as well. global may be nil
// (no per-bot budget); clock may be nil (SystemClock).
func NewGate(l Limits, global *Budget, clock Clock) *Gate {
	if clock == nil {
		clock = SystemClock{}
	}
	if l.WindowCap > 0 && l.Window <= 0 {
		l.Window = time.Minute
	}
	g := &Gate{limits: l, global: global, clock: clock, slot: make(chan struct{}, 1)}
	if l.WindowCap > 0 {
		g.ring = make([]time.Time, l.WindowCap)
	}
	g.used = clock.Now()
	return g
}

// Wait blocks until the chat may send a message request (send, edit, draft
// or delete), then holds the chat's slot and records the request as started
// now. p orders the request against the other chats' requests waiting for
// the per-bot budget. The caller makes the request and then calls Done.
// Wait returns an error, holding nothing, when ctx ends first.
//
// An intermediate state takes its per-bot token before the chat's slot, so
// while the budget starves it, it holds no slot and the chat's own first
// or final requests (which other replies in the same gate may be making)
// are not stuck behind it.
func (g *Gate) Wait(ctx context.Context, p Priority) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("wait for chat slot: %w", err)
	}
	if p <= PriorityIntermediate {
		return g.waitTokenFirst(ctx, p)
	}
	if err := g.takeSlot(ctx); err != nil {
		return err
	}
	if err := g.waitChat(ctx); err != nil {
		g.Done()
		return err
	}
	if err := g.waitGlobal(ctx, p); err != nil {
		g.Done()
		return err
	}
	g.record(g.clock.Now())
	return nil
}

// waitTokenFirst is Wait for an intermediate state: the per-bot token
// first, then the chat's slot and pace. A token taken for a request that
// then gives up goes back to the budget.
func (g *Gate) waitTokenFirst(ctx context.Context, p Priority) error {
	if err := g.waitGlobal(ctx, p); err != nil {
		return err
	}
	if err := g.takeSlot(ctx); err != nil {
		g.refund()
		return err
	}
	if err := g.waitChat(ctx); err != nil {
		g.Done()
		g.refund()
		return err
	}
	g.record(g.clock.Now())
	return nil
}

// takeSlot takes the chat's slot, waiting for it.
func (g *Gate) takeSlot(ctx context.Context) error {
	select {
	case g.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for chat slot: %w", ctx.Err())
	}
}

// refund returns a token taken from the per-bot budget but not used.
func (g *Gate) refund() {
	if g.global != nil {
		g.global.refund()
	}
}

// TryAction takes the chat's slot for a chat action (a "typing…"
// indicator) without waiting, and reports whether it did. Chat actions do
// not change messages, so they neither wait for nor count towards the
// interval and the window; they are skipped while the slot is busy, while
// the chat is paused after a 429, and when the per-bot budget has no token
// to spare right now. Call Done after the request when it returns true.
func (g *Gate) TryAction() bool {
	select {
	case g.slot <- struct{}{}:
	default:
		return false
	}
	now := g.clock.Now()
	g.mu.Lock()
	paused := g.paused.After(now)
	g.mu.Unlock()
	if paused || (g.global != nil && !g.global.Allow()) {
		g.Done()
		return false
	}
	return true
}

// Done releases the chat's slot taken by Wait or TryAction.
func (g *Gate) Done() {
	g.mu.Lock()
	g.used = g.clock.Now()
	g.mu.Unlock()
	<-g.slot
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
	}
}

// waitChat sleeps on the clock until the chat's own limits allow a request.
func (g *Gate) waitChat(ctx context.Context) error {
	for {
		g.mu.Lock()
		d := g.delayLocked(g.clock.Now())
		g.mu.Unlock()
		if d <= 0 {
			return nil
		}
		select {
		case <-g.clock.After(d):
		case <-ctx.Done():
			return fmt.Errorf("wait for chat pace: %w", ctx.Err())
		}
	}
}

// waitGlobal takes one token from the per-bot budget, waiting for it.
func (g *Gate) waitGlobal(ctx context.Context, p Priority) error {
	if g.global == nil {
		return nil
	}
	return g.global.Wait(ctx, p)
}

// delayLocked returns how long the chat must still wait at now.
func (g *Gate) delayLocked(now time.Time) time.Duration {
	var d time.Duration
	if w := g.paused.Sub(now); w > d {
		d = w
	}
	if !g.last.IsZero() && g.limits.EditInterval > 0 {
		if w := g.last.Add(g.limits.EditInterval).Sub(now); w > d {
			d = w
		}
	}
	if len(g.ring) > 0 {
		g.pruneLocked(now)
		if g.count == len(g.ring) {
			if w := g.ring[g.head].Add(g.limits.Window).Sub(now); w > d {
				d = w
			}
		}
	}
	return d
}

// pruneLocked forgets requests that left the rolling window.
func (g *Gate) pruneLocked(now time.Time) {
	for g.count > 0 && !g.ring[g.head].Add(g.limits.Window).After(now) {
		g.head = (g.head + 1) % len(g.ring)
		g.count--
	}
}

// record notes a message request started at now.
func (g *Gate) record(now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.last = now
	g.used = now
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

// idleSince reports when the gate was last active (or will stop being
// paused), and whether its slot is free.
func (g *Gate) idleSince() (time.Time, bool) {
	g.mu.Lock()
	since := g.used
	if g.paused.After(since) {
		since = g.paused
	}
	g.mu.Unlock()
	return since, len(g.slot) == 0
}
