package pace

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
)

// waitAt runs g.Wait with priority p in the background; the channel yields
// its result.
func waitAt(ctx context.Context, g *Gate, p Priority) <-chan error {
	res := make(chan error, 1)
	go func() { res <- g.Wait(ctx, p) }()
	return res
}

// requestAt makes one request of priority p through g at once, failing if
// it has to wait.
func requestAt(t *testing.T, g *Gate, p Priority) {
	t.Helper()
	if !passed(t, waitAt(t.Context(), g, p)) {
		t.Fatalf("%v Wait blocked, want it to pass at once", p)
	}
	g.Done()
}

func TestGateFirstAndFinalSkipTheEditInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		g := NewGate(Limits{EditInterval: 3 * time.Second, WindowCap: 18}, nil, clk)
		requestAt(t, g, PriorityIntermediate)
		res := waitAt(t.Context(), g, PriorityIntermediate)
		if passed(t, res) {
			t.Fatal("an intermediate state did not wait for the edit interval")
		}
		requestAtFront(t, g, res, PriorityFinal)
		requestAtFront(t, g, res, PriorityFirst)
		clk.Advance(3 * time.Second)
		if !passed(t, res) {
			t.Fatal("the intermediate state still waits after the interval")
		}
		g.Done()
	})
}

// requestAtFront makes a request of priority p at once although an
// intermediate one (res) waits, and checks that res still waits.
func requestAtFront(t *testing.T, g *Gate, res <-chan error, p Priority) {
	t.Helper()
	requestAt(t, g, p)
	if passed(t, res) {
		t.Fatalf("the waiting intermediate state went with the %v request", p)
	}
}

func TestGateIntermediatesLeaveRoomForPromisedFinals(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		free   int // intermediate requests the limits allow with 2 promised
	}{
		{name: "rolling window", limits: Limits{WindowCap: 5, Window: time.Minute}, free: 3},
		{name: "bucket", limits: Limits{PerSecond: 1, Burst: 4}, free: 2},
		{name: "room capped to one request", limits: Limits{WindowCap: 2, Window: time.Minute}, free: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := botstest.NewFakeClock(epoch)
				g := NewGate(tt.limits, nil, clk)
				g.Reserve(2)
				for range tt.free {
					requestAt(t, g, PriorityIntermediate)
				}
				res := waitAt(t.Context(), g, PriorityIntermediate)
				if passed(t, res) {
					t.Fatalf("an intermediate state used the room promised to finals")
				}
				requestAtFront(t, g, res, PriorityFinal)
				g.Release(2) // both replies ended
				if tt.limits.WindowCap == 2 {
					clk.Advance(time.Minute) // the window is full now
				}
				if !passed(t, res) {
					t.Fatal("the intermediate state still waits with nothing promised")
				}
				g.Done()
			})
		})
	}
}

func TestGateBucketRefills(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		g := NewGate(Limits{PerSecond: 1, Burst: 3}, nil, clk)
		for range 3 {
			requestAt(t, g, PriorityFinal) // the burst
		}
		res := waitAt(t.Context(), g, PriorityFinal)
		clk.Advance(999 * time.Millisecond)
		if passed(t, res) {
			t.Fatal("a fourth request passed before the bucket refilled")
		}
		clk.Advance(time.Millisecond)
		if !passed(t, res) {
			t.Fatal("the request still waits a second after the burst")
		}
		g.Done()
	})
}

func TestGateServesFinalsFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		g := NewGate(Limits{}, nil, clk)
		if !passed(t, waitAt(t.Context(), g, PriorityIntermediate)) {
			t.Fatal("first request blocked")
		}
		inter := waitAt(t.Context(), g, PriorityIntermediate)
		first := waitAt(t.Context(), g, PriorityFirst)
		final := waitAt(t.Context(), g, PriorityFinal)
		synctest.Wait()
		for _, want := range []<-chan error{final, first, inter} {
			g.Done()
			if !passed(t, want) {
				t.Fatal("requests not served finals first, then firsts, then intermediate states")
			}
		}
		g.Done()
	})
}
