package botstest

import (
	"context"
	"testing"
	"time"
)

var epoch = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func TestFakeClockAfter(t *testing.T) {
	tests := []struct {
		name    string
		after   time.Duration
		advance []time.Duration
		fired   bool
	}{
		{name: "zero fires at once", after: 0, fired: true},
		{name: "negative fires at once", after: -time.Second, fired: true},
		{name: "not yet", after: time.Second, advance: []time.Duration{999 * time.Millisecond}},
		{name: "exactly at deadline", after: time.Second, advance: []time.Duration{time.Second}, fired: true},
		{name: "in steps", after: time.Second, advance: []time.Duration{600 * time.Millisecond, 400 * time.Millisecond}, fired: true},
		{name: "past deadline", after: time.Second, advance: []time.Duration{time.Hour}, fired: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewFakeClock(epoch)
			ch := c.After(tt.after)
			var total time.Duration
			for _, d := range tt.advance {
				c.Advance(d)
				total += d
			}
			select {
			case got := <-ch:
				if !tt.fired {
					t.Fatalf("timer fired at %v, want pending", got)
				}
				if want := epoch.Add(total); !got.Equal(want) {
					t.Errorf("fired with %v, want %v", got, want)
				}
			default:
				if tt.fired {
					t.Fatal("timer pending, want fired")
				}
			}
			if got := c.Now(); !got.Equal(epoch.Add(total)) {
				t.Errorf("Now() = %v, want %v", got, epoch.Add(total))
			}
		})
	}
}

func TestFakeClockFiresInDeadlineOrder(t *testing.T) {
	c := NewFakeClock(epoch)
	late, early := c.After(2*time.Second), c.After(time.Second)
	if got := c.Waiters(); got != 2 {
		t.Fatalf("Waiters() = %d, want 2", got)
	}
	c.Advance(time.Second)
	select {
	case <-early:
	default:
		t.Fatal("early timer did not fire")
	}
	select {
	case <-late:
		t.Fatal("late timer fired early")
	default:
	}
	if got := c.Waiters(); got != 1 {
		t.Errorf("Waiters() = %d, want 1", got)
	}
}

func TestFakeClockBlockUntil(t *testing.T) {
	c := NewFakeClock(epoch)
	woke := make(chan time.Time)
	go func() { woke <- <-c.After(time.Minute) }()
	c.BlockUntil(1)
	c.Advance(time.Minute)
	if got := <-woke; !got.Equal(epoch.Add(time.Minute)) {
		t.Errorf("woke at %v, want %v", got, epoch.Add(time.Minute))
	}
}

func TestFakeClockBlockUntilContext(t *testing.T) {
	c := NewFakeClock(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.BlockUntilContext(ctx, 1); err == nil {
		t.Fatal("BlockUntilContext with no timers and a cancelled ctx returned nil")
	}
	c.After(time.Second)
	if err := c.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("BlockUntilContext with a pending timer: %v", err)
	}
}
