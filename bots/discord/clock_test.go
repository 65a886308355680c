package discord

import (
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
)

// spyClock is a FakeClock that records the durations passed to After, so
// a test waits for the one timer it means to fire instead of counting
// every pending timer (a new timer elsewhere in the adapter would change
// the count and leave the test advancing a clock nobody it cares about
// waits on).
type spyClock struct {
	*botstest.FakeClock

	mu      sync.Mutex
	asked   map[time.Duration]int // After calls by duration
	seen    map[time.Duration]int // of those, taken by waitAfter
	changed chan struct{}         // closed and replaced on every After
}

// newSpyClock returns a spyClock reading start.
func newSpyClock(start time.Time) *spyClock {
	return &spyClock{
		FakeClock: botstest.NewFakeClock(start),
		asked:     map[time.Duration]int{}, seen: map[time.Duration]int{}, changed: make(chan struct{}),
	}
}

// After registers the timer with the fake clock, then records d.
func (c *spyClock) After(d time.Duration) <-chan time.Time {
	ch := c.FakeClock.After(d)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked[d]++
	close(c.changed)
	c.changed = make(chan struct{})
	return ch
}

// waitAfter blocks until the code under test has called After(d) once
// more than waitAfter has seen before; the timer is then pending, so
// Advance(d) fires it. It fails the test after 10 s.
func (c *spyClock) waitAfter(tb testing.TB, d time.Duration, what string) {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		c.mu.Lock()
		ok, changed := c.asked[d] > c.seen[d], c.changed
		if ok {
			c.seen[d]++
		}
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("timed out waiting for %s (a %v timer); pending timers: %d", what, d, c.Waiters())
		}
	}
}

func TestSpyClockWaitsForTheNamedTimer(t *testing.T) {
	c := newSpyClock(epoch)
	other := c.After(time.Hour)
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-c.After(time.Second)
	}()
	c.waitAfter(t, time.Second, "the one-second timer")
	c.Advance(time.Second)
	<-done
	select {
	case <-other:
		t.Error("the hour timer fired after a second")
	default:
	}
}
