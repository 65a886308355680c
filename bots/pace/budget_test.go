package pace

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
)

// grantLog records the order in which waiters got their tokens.
type grantLog struct {
	mu  sync.Mutex
	got []string
}

func (l *grantLog) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, s)
}

func (l *grantLog) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.got...)
}

// queue starts a waiter named name in the background and lets it reach the
// budget's queue; the channel yields Wait's result.
func queue(ctx context.Context, b *Budget, p Priority, name string, log *grantLog) <-chan error {
	res := make(chan error, 1)
	go func() {
		err := b.Wait(ctx, p)
		if err == nil {
			log.add(name)
		}
		res <- err
	}()
	synctest.Wait()
	return res
}

func TestBudgetServesByPriority(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		b := NewBudget(1, 1, clk)
		if err := b.Wait(t.Context(), PriorityIntermediate); err != nil {
			t.Fatal(err)
		}
		var log grantLog
		queue(t.Context(), b, PriorityIntermediate, "i1", &log)
		queue(t.Context(), b, PriorityIntermediate, "i2", &log)
		queue(t.Context(), b, PriorityFirst, "v1", &log)
		queue(t.Context(), b, PriorityFinal, "f1", &log)
		queue(t.Context(), b, PriorityFinal, "f2", &log)
		if b.Allow() {
			t.Fatal("Allow took a token while requests wait")
		}
		advance(clk, 5, time.Second)
		want := []string{"f1", "f2", "v1", "i1", "i2"}
		got := log.list()
		if len(got) != len(want) {
			t.Fatalf("granted %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("granted %v, want %v", got, want)
			}
		}
	})
}

func TestBudgetIsFullyUsed(t *testing.T) {
	tests := []struct {
		name  string
		rate  float64
		burst int
		step  time.Duration
	}{
		{name: "10 per second", rate: 10, burst: 10, step: 10 * time.Millisecond},
		{name: "25 per second, uneven steps", rate: 25, burst: 5, step: 7 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := botstest.NewFakeClock(epoch)
				b := NewBudget(tt.rate, tt.burst, clk)
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				var log grantLog
				for i := range 300 {
					queue(ctx, b, Priority(i%3), "w", &log)
				}
				const secs = 5
				advance(clk, int(secs*time.Second/tt.step), tt.step)
				got := len(log.list())
				want := tt.burst + int(secs*tt.rate)
				if got < want-1 || got > want {
					t.Errorf("%d grants in %ds, want %d (burst + rate × time)", got, secs, want)
				}
			})
		})
	}
}

func TestBudgetCancelledWaitersLeakNoTokens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		b := NewBudget(1, 1, clk)
		if err := b.Wait(t.Context(), PriorityIntermediate); err != nil {
			t.Fatal(err)
		}
		var log grantLog
		ctxA, cancelA := context.WithCancel(t.Context())
		ctxB, cancelB := context.WithCancel(t.Context())
		a := queue(ctxA, b, PriorityFinal, "a", &log)
		bb := queue(ctxB, b, PriorityFinal, "b", &log)
		c := queue(t.Context(), b, PriorityIntermediate, "c", &log)
		advance(clk, 1, 500*time.Millisecond)
		cancelA()
		cancelB()
		for _, res := range []<-chan error{a, bb} {
			if err := <-res; !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled Wait = %v, want context.Canceled", err)
			}
		}
		advance(clk, 1, 500*time.Millisecond)
		select {
		case err := <-c:
			if err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatal("the waiter behind two cancelled ones did not get the token due after 1s")
		}
		if got := b.Granted(); got != 2 {
			t.Errorf("Granted = %d, want 2", got)
		}
		advance(clk, 1, time.Second)
		if !b.Allow() {
			t.Error("Allow after a quiet second = false, want the refilled token")
		}
	})
}

// TestBudgetSetRate: a new rate applies from the moment it is set, to
// requests already waiting too, and keeps the tokens earned (up to the new
// burst); a rate that grants nothing is ignored.
func TestBudgetSetRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		b := NewBudget(10, 10, clk)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		var log grantLog
		for range 40 {
			queue(ctx, b, PriorityIntermediate, "w", &log)
		}
		if got := len(log.list()); got != 10 {
			t.Fatalf("%d grants at once, want the burst of 10", got)
		}
		b.SetRate(5, 2) // a waiter sleeping for the next 10/s token looks again
		advance(clk, 10, 100*time.Millisecond)
		if got := len(log.list()); got < 14 || got > 15 {
			t.Errorf("%d grants after a second at 5/s, want 15 (10 + 5)", got)
		}
		if r, burst := b.Rate(); r != 5 || burst != 2 {
			t.Errorf("Rate = %v, %d, want 5, 2", r, burst)
		}
		b.SetRate(0, 2)
		b.SetRate(5, 0)
		if r, burst := b.Rate(); r != 5 || burst != 2 {
			t.Errorf("after SetRate(0, 2) and SetRate(5, 0), Rate = %v, %d, want 5, 2 unchanged", r, burst)
		}
		cancel()
		synctest.Wait()
		before := len(log.list())
		advance(clk, 1, 10*time.Second) // idle: tokens refill up to the new burst only
		b.SetRate(100, 100)
		n := 0
		for b.Allow() {
			n++
		}
		if n != 2 || len(log.list()) != before {
			t.Errorf("%d tokens free after an idle 10 s at burst 2, want 2", n)
		}
	})
}

func TestBudgetZero(t *testing.T) {
	b := NewBudget(0, 1, botstest.NewFakeClock(epoch))
	if err := b.Wait(t.Context(), PriorityFinal); !errors.Is(err, errNoGlobalBudget) {
		t.Errorf("Wait on a zero-rate budget = %v, want errNoGlobalBudget", err)
	}
	if b.Allow() {
		t.Error("Allow on a zero-rate budget = true")
	}
}

func TestPacerFinalReplacesWaitingIntermediate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		budget := NewBudget(1, 1, clk)
		if err := budget.Wait(t.Context(), PriorityIntermediate); err != nil {
			t.Fatal(err) // another chat spent the bot's token
		}
		r := newRigOn(t, clk, Limits{MaxLen: 100, Format: FormatHTML}, func(c *ReplyConfig) {
			c.Gate = NewGate(Limits{MaxLen: 100, Format: FormatHTML}, budget, clk)
		})
		r.p.Update(State{Answer: "u1"})
		r.p.Start(t.Context())
		synctest.Wait()
		r.p.Update(State{Answer: "u2"})
		synctest.Wait()
		if _, err := finishing(t, clk, 100*time.Millisecond, r.p, t.Context(), State{Answer: "done"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		assertCalls(t, r.fs.Calls("send", "edit", "draft"), []fakeCall{
			{Op: "send", Out: reply(html("done", false), trigger)},
		})
		if got := clk.Now().Sub(epoch); got > time.Second {
			t.Errorf("final shown after %v, want it as soon as the next token (1s)", got)
		}
	})
}

func TestPacerFinalWaitsBehindOtherFinals(t *testing.T) {
	errDown := errors.New("platform down")
	tests := []struct {
		name    string
		ahead   int   // other chats' finals queued first, one token per second
		fail    error // every edit fails with it
		wantErr error
		// within bounds when Finish returns, in seconds.
		minSecs, maxSecs int
	}{
		{name: "queued longer than FinishWork", ahead: 30, minSecs: 30, maxSecs: 32},
		{name: "platform down gives up after FinishWork", fail: errDown, wantErr: errFinalStalled, minSecs: 5, maxSecs: 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				clk := botstest.NewFakeClock(epoch)
				budget := NewBudget(1, 1, clk)
				l := Limits{MaxLen: 100, Format: FormatHTML}
				r := newRigOn(t, clk, l, func(c *ReplyConfig) {
					c.Gate = NewGate(l, budget, clk)
					c.FinishWork = 5 * time.Second
				})
				r.fs.Hook = func(c fakeCall) error {
					if c.Op == "edit" {
						return tt.fail
					}
					return nil
				}
				r.p.Update(State{Answer: "partial"})
				r.p.Start(t.Context())
				synctest.Wait()
				var log grantLog
				for range tt.ahead {
					queue(t.Context(), budget, PriorityFinal, "other", &log)
				}
				_, err := finishing(t, clk, time.Second, r.p, t.Context(), State{Answer: "complete"})
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
					t.Errorf("Finish error = %v, want %v", err, tt.wantErr)
				}
				if tt.wantErr != nil && !errors.Is(err, errDown) {
					t.Errorf("Finish error = %v, want it to carry the last failure", err)
				}
				took := clk.Now().Sub(epoch)
				if took < time.Duration(tt.minSecs)*time.Second || took > time.Duration(tt.maxSecs)*time.Second {
					t.Errorf("Finish returned after %v, want %d–%ds", took, tt.minSecs, tt.maxSecs)
				}
				if got := len(log.list()); got != tt.ahead {
					t.Errorf("%d of the finals ahead served, want all %d", got, tt.ahead)
				}
			})
		})
	}
}
