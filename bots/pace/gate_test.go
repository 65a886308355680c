package pace

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
)

// waitAsync runs g.Wait in the background; the channel yields its result.
func waitAsync(ctx context.Context, g *Gate) <-chan error {
	res := make(chan error, 1)
	go func() { res <- g.Wait(ctx, PriorityIntermediate) }()
	return res
}

// passed reports whether an async Wait has returned, after letting every
// goroutine in the bubble run.
func passed(t *testing.T, res <-chan error) bool {
	t.Helper()
	synctest.Wait()
	select {
	case err := <-res:
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		return true
	default:
		return false
	}
}

// request makes one request through g at once, failing if it has to wait.
func request(t *testing.T, g *Gate) {
	t.Helper()
	res := waitAsync(t.Context(), g)
	if !passed(t, res) {
		t.Fatal("Wait blocked, want it to pass at once")
	}
	g.Done()
}

func TestGateSpacing(t *testing.T) {
	tests := []struct {
		name   string
		limits Limits
		setup  func(g *Gate) // requests made before the one under test
		want   time.Duration // how long the next Wait blocks
	}{
		{name: "fresh gate passes at once", limits: Limits{EditInterval: 3 * time.Second}, want: 0},
		{name: "interval after a request", limits: Limits{EditInterval: 3 * time.Second}, setup: func(g *Gate) { g.record(g.clock.Now()) }, want: 3 * time.Second},
		{
			name:   "window cap",
			limits: Limits{WindowCap: 3, Window: time.Minute},
			setup: func(g *Gate) {
				for range 3 {
					g.record(g.clock.Now())
				}
			},
			want: time.Minute,
		},
		{
			name:   "window defaults to a minute",
			limits: Limits{WindowCap: 1},
			setup:  func(g *Gate) { g.record(g.clock.Now()) },
			want:   time.Minute,
		},
		{name: "pause", limits: Limits{EditInterval: time.Second}, setup: func(g *Gate) { g.Pause(10 * time.Second) }, want: 10 * time.Second},
		{
			name:   "shorter pause keeps the longer",
			limits: Limits{},
			setup:  func(g *Gate) { g.Pause(10 * time.Second); g.Pause(time.Second) },
			want:   10 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := botstest.NewFakeClock(epoch)
				g := NewGate(tt.limits, nil, clk)
				if tt.setup != nil {
					tt.setup(g)
				}
				res := waitAsync(t.Context(), g)
				if tt.want > 0 {
					clk.Advance(tt.want - time.Millisecond)
					if passed(t, res) {
						t.Fatalf("Wait passed after %v, want %v", tt.want-time.Millisecond, tt.want)
					}
					clk.Advance(time.Millisecond)
				}
				if !passed(t, res) {
					t.Fatalf("Wait still blocked after %v", tt.want)
				}
				g.Done()
			})
		})
	}
}

func TestGateRollingWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		g := NewGate(Limits{WindowCap: 2, Window: 10 * time.Second}, nil, clk)
		request(t, g) // t=0
		clk.Advance(4 * time.Second)
		request(t, g) // t=4
		res := waitAsync(t.Context(), g)
		clk.Advance(6*time.Second - time.Millisecond)
		if passed(t, res) {
			t.Fatal("third request within the window passed")
		}
		clk.Advance(time.Millisecond) // t=10: the first leaves the window
		if !passed(t, res) {
			t.Fatal("request blocked after the oldest left the window")
		}
		g.Done()
		res = waitAsync(t.Context(), g)
		clk.Advance(4 * time.Second) // t=14: the second leaves
		if !passed(t, res) {
			t.Fatal("request blocked after the second left the window")
		}
		g.Done()
	})
}

func TestGateBoundsRequestsInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := NewGate(Limits{}, nil, botstest.NewFakeClock(epoch))
		for range maxInFlight {
			if !passed(t, waitAsync(t.Context(), g)) {
				t.Fatal("Wait blocked below maxInFlight requests in flight")
			}
		}
		next := waitAsync(t.Context(), g)
		if passed(t, next) {
			t.Fatal("Wait passed with maxInFlight requests in flight")
		}
		if g.TryAction() {
			t.Fatal("TryAction went while requests are in flight")
		}
		g.Done()
		if !passed(t, next) {
			t.Fatal("Wait blocked after a request ended")
		}
		for range maxInFlight {
			g.Done()
		}
		if !g.TryAction() {
			t.Fatal("TryAction refused with nothing in flight")
		}
		g.Done()
	})
}

func TestGateWaitContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		g := NewGate(Limits{EditInterval: time.Minute}, nil, clk)
		request(t, g)
		ctx, cancel := context.WithCancel(t.Context())
		res := waitAsync(ctx, g)
		synctest.Wait()
		cancel()
		if err := <-res; !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait = %v, want context.Canceled", err)
		}
		if err := g.Wait(ctx, PriorityIntermediate); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait with a done context = %v, want context.Canceled", err)
		}
		if !g.TryAction() {
			t.Fatal("slot still held after a cancelled Wait")
		}
		g.Done()
	})
}

func TestGateTryAction(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		g := NewGate(Limits{EditInterval: time.Minute, WindowCap: 1}, nil, clk)
		if !g.TryAction() {
			t.Fatal("TryAction on a free gate = false")
		}
		g.Done()
		request(t, g) // actions do not count towards interval or window
		if !g.TryAction() {
			t.Fatal("TryAction right after a request = false, want actions exempt from the interval")
		}
		g.Done()
		g.Pause(time.Second)
		if g.TryAction() {
			t.Fatal("TryAction while paused = true")
		}
		clk.Advance(time.Second)
		if !g.TryAction() {
			t.Fatal("TryAction after the pause = false")
		}
		g.Done()
	})
}

func TestGateGlobalBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		global := NewBudget(1, 1, clk)
		a, b := NewGate(Limits{}, global, clk), NewGate(Limits{}, global, clk)
		request(t, a)
		res := waitAsync(t.Context(), b)
		if passed(t, res) {
			t.Fatal("second chat passed with the bot's budget spent")
		}
		if b.TryAction() {
			t.Fatal("TryAction with the bot's budget spent = true")
		}
		clk.Advance(time.Second)
		if !passed(t, res) {
			t.Fatal("second chat blocked after the budget refilled")
		}
		b.Done()

		none := NewGate(Limits{}, NewBudget(1, 0, clk), clk)
		if err := none.Wait(t.Context(), PriorityFinal); !errors.Is(err, errNoGlobalBudget) {
			t.Fatalf("Wait with a zero-burst budget = %v, want errNoGlobalBudget", err)
		}
	})
}

func TestGates(t *testing.T) {
	clk := botstest.NewFakeClock(epoch)
	gs := NewGates(nil, clk)
	l := Limits{EditInterval: time.Second}
	a := gs.Get("tg:1", l)
	if gs.Get("tg:1", Limits{}) != a {
		t.Fatal("Get returned a new gate for a known chat")
	}
	if gs.Get("tg:2", l) == a {
		t.Fatal("two chats share a gate")
	}
	paused := gs.Get("tg:3", l)
	paused.Pause(time.Hour)
	busy := gs.Get("tg:4", l)
	if !busy.TryAction() {
		t.Fatal("TryAction on a new gate = false")
	}
	clk.Advance(5 * time.Minute)
	gs.Get("tg:1", l) // keeps tg:1 in use
	clk.Advance(6 * time.Minute)
	gs.Get("tg:5", l) // sweeps: tg:2 is idle for 11 minutes
	if got := gs.size(); got != 4 {
		t.Errorf("%d gates after the sweep, want 4 (tg:1 used, tg:3 paused, tg:4 busy, tg:5 new)", got)
	}
	if gs.Get("tg:3", l) != paused || gs.Get("tg:4", l) != busy {
		t.Error("a paused or busy gate was dropped")
	}
	busy.Done()
}

func TestGateStarvedIntermediateHoldsNoSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		global := NewBudget(1, 1, clk)
		g := NewGate(Limits{}, global, clk)
		request(t, g) // spends the bot's only token
		inter := waitAsync(t.Context(), g)
		if passed(t, inter) {
			t.Fatal("intermediate state passed with the bot's budget spent")
		}
		final := make(chan error, 1)
		go func() { final <- g.Wait(t.Context(), PriorityFinal) }()
		synctest.Wait()
		clk.Advance(time.Second)
		if !passed(t, final) {
			t.Fatal("final blocked behind a starved intermediate state of its chat")
		}
		if passed(t, inter) {
			t.Fatal("intermediate state passed while the final holds the slot")
		}
		g.Done()
		clk.Advance(time.Second)
		if !passed(t, inter) {
			t.Fatal("intermediate state blocked after the final and a refill")
		}
		g.Done()
	})
}

func TestGateCancelledIntermediateRefundsToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		global := NewBudget(1, 1, clk)
		g := NewGate(Limits{EditInterval: time.Minute}, global, clk)
		request(t, g)
		clk.Advance(time.Second) // one token again; the chat's interval still runs
		ctx, cancel := context.WithCancel(t.Context())
		res := waitAsync(ctx, g)
		synctest.Wait()
		cancel()
		if err := <-res; err == nil {
			t.Fatal("cancelled Wait = nil")
		}
		other := NewGate(Limits{}, global, clk)
		request(t, other) // the cancelled wait's token came back
	})
}
