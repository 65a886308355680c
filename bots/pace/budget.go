package pace

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// errNoGlobalBudget is returned by Budget.Wait (and so Gate.Wait) when the
// budget can never grant a request (its rate or burst is zero).
var errNoGlobalBudget = errors.New("global request budget has zero rate or burst")

// budgetEps absorbs rounding in the refill, so a waiter woken when a token
// is due gets it.
const budgetEps = 1e-9

// Priority orders the requests waiting for a per-bot Budget: a waiting
// request of a higher priority is always served before any of a lower one,
// and requests of one priority are served in arrival order.
type Priority int

// The priorities of a chat's requests, lowest first.
const (
	// PriorityIntermediate is an intermediate state of a streaming reply
	// (an edit or draft that a later state will overtake anyway).
	PriorityIntermediate Priority = iota
	// PriorityFirst is a reply's first visible output (its placeholder or
	// first text) and short notices answering the user.
	PriorityFirst
	// PriorityFinal is the final state of a reply, which must be
	// delivered.
	PriorityFinal
	numPriorities
)

// String returns the priority's name.
func (p Priority) String() string {
	switch p {
	case PriorityFinal:
		return "final"
	case PriorityFirst:
		return "first"
	default:
		return "intermediate"
	}
}

// budgetWaiter is one request waiting for a token.
type budgetWaiter struct {
	wake chan struct{} // buffered 1: "you may be at the head now"
}

// Budget is a per-bot token bucket shared by every chat of a platform: it
// refills at rate tokens per second up to burst, and hands tokens to
// waiting requests by Priority, then by arrival. A request that stops
// waiting takes nothing, so no token is ever lost. Time comes from the
// injected Clock only, so tests drive it with a fake clock. A Budget is safe
// for concurrent use.
type Budget struct {
	clock Clock

	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	tokens  float64
	at      time.Time                      // when tokens was computed
	queues  [numPriorities][]*budgetWaiter // FIFO per priority
	granted uint64                         // tokens handed out
}

// NewBudget returns a full Budget granting perSecond requests per second
// with bursts of up to burst. clock may be nil (SystemClock).
func NewBudget(perSecond float64, burst int, clock Clock) *Budget {
	if clock == nil {
		clock = SystemClock{}
	}
	now := clock.Now()
	return &Budget{rate: perSecond, burst: float64(burst), clock: clock, tokens: float64(burst), at: now}
}

// Wait blocks until the budget grants one token to a request of priority
// p, and returns nil; or returns an error, having taken nothing, when ctx
// ends first.
func (b *Budget) Wait(ctx context.Context, p Priority) error {
	p = min(max(p, 0), numPriorities-1)
	b.mu.Lock()
	if b.rate <= 0 || b.burst < 1 {
		b.mu.Unlock()
		return errNoGlobalBudget
	}
	if b.grantNowLocked(p) {
		b.mu.Unlock()
		return nil
	}
	w := &budgetWaiter{wake: make(chan struct{}, 1)}
	b.queues[p] = append(b.queues[p], w)
	b.mu.Unlock()
	for {
		b.mu.Lock()
		d, ok := b.tryLocked(w, p)
		b.mu.Unlock()
		if ok {
			return nil
		}
		var timer <-chan time.Time
		if d >= 0 {
			timer = b.clock.After(d)
		}
		select {
		case <-timer:
		case <-w.wake:
		case <-ctx.Done():
			b.leave(w, p)
			return fmt.Errorf("wait for bot budget: %w", ctx.Err())
		}
	}
}

// Allow takes a token at once if one is free and no request is waiting,
// and reports whether it did. It never waits; it is for requests worth
// making only when they cost nobody anything (chat actions).
func (b *Budget) Allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rate <= 0 || b.burst < 1 {
		return false
	}
	return b.grantNowLocked(0)
}

// SetRate makes the Budget grant perSecond requests per second with
// bursts of up to burst from now on: the tokens earned so far stay (up to
// the new burst), and a request waiting for the next token looks again.
// Replicas sharing one bot's limit use it to take their share. A rate
// that is not positive or a burst under 1 is ignored.
func (b *Budget) SetRate(perSecond float64, burst int) {
	if perSecond <= 0 || burst < 1 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	b.rate, b.burst = perSecond, float64(burst)
	b.tokens = min(b.tokens, b.burst)
	b.wakeHeadLocked()
}

// Rate returns the Budget's rate per second and burst.
func (b *Budget) Rate() (perSecond float64, burst int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate, int(b.burst)
}

// Granted returns the number of tokens handed out so far.
func (b *Budget) Granted() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.granted
}

// grantNowLocked takes a token for a new request of priority p if one is
// free and no request of priority p or higher waits.
func (b *Budget) grantNowLocked(p Priority) bool {
	for q := p; q < numPriorities; q++ {
		if len(b.queues[q]) > 0 {
			return false
		}
	}
	b.refillLocked()
	if b.tokens+budgetEps < 1 {
		return false
	}
	b.takeLocked()
	return true
}

// tryLocked grants w (waiting with priority p) a token if it is at the head
// of the queue and a token is free. Otherwise it returns how long the head
// must sleep for the next token, or -1 when w is not the head and must wait
// to be woken.
func (b *Budget) tryLocked(w *budgetWaiter, p Priority) (time.Duration, bool) {
	if b.headLocked() != w {
		return -1, false
	}
	b.refillLocked()
	if b.tokens+budgetEps >= 1 {
		b.queues[p] = b.queues[p][1:]
		b.takeLocked()
		b.wakeHeadLocked()
		return 0, true
	}
	secs := (1 - b.tokens) / b.rate
	return max(time.Duration(math.Ceil(secs*float64(time.Second))), time.Nanosecond), false
}

// leave removes w from its queue after it stopped waiting, and wakes the
// next head in case w was the head.
func (b *Budget) leave(w *budgetWaiter, p Priority) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queues[p] = slices.DeleteFunc(b.queues[p], func(x *budgetWaiter) bool { return x == w })
	b.wakeHeadLocked()
}

// headLocked returns the waiter to serve next, or nil.
func (b *Budget) headLocked() *budgetWaiter {
	for q := numPriorities - 1; q >= 0; q-- {
		if len(b.queues[q]) > 0 {
			return b.queues[q][0]
		}
	}
	return nil
}

// wakeHeadLocked tells the head of the queue to look again.
func (b *Budget) wakeHeadLocked() {
	if h := b.headLocked(); h != nil {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}

// refillLocked adds the tokens earned since the last refill.
func (b *Budget) refillLocked() {
	now := b.clock.Now()
	if el := now.Sub(b.at); el > 0 {
		b.tokens = min(b.burst, b.tokens+el.Seconds()*b.rate)
	}
	b.at = now
}

// refund gives back a token granted to a request that was then not made,
// and wakes the next waiter to take it.
func (b *Budget) refund() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refillLocked()
	b.tokens = min(b.burst, b.tokens+1)
	b.granted--
	b.wakeHeadLocked()
}

// takeLocked hands out one token.
func (b *Budget) takeLocked() {
	b.tokens--
	b.granted++
}
