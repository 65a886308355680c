package bots

import (
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/memory"
)

func TestEngineEndsTheTurnWhenItsChatLockIsLost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var skew atomic.Int64 // how far the store's clock is ahead
		store := memory.NewEmbedded(memory.Config{
			Now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) },
		}, quietLog())
		m := newFakeModel()
		obs := &recObserver{}
		e := newTestEngine(t, Config{Observer: obs, LockTTL: 30 * time.Second}, m, store)
		s := newRecSurface()
		if err := e.Submit(t.Context(), turnFor("tg:1", "q", s)); err != nil {
			t.Fatal(err)
		}
		st := m.Next(t)
		st.Steps <- step{ev: llmAnswer("partial answer")}
		s.WaitText(t, "partial answer")

		skew.Store(int64(time.Hour)) // the lock expires in the store
		other, err := store.TryLock(t.Context(), "tg:1", time.Hour)
		if err != nil {
			t.Fatalf("another replica takes the expired lock: %v", err)
		}
		defer func() {
			if err := other.Release(t.Context()); err != nil {
				t.Errorf("release the other replica's lock: %v", err)
			}
		}()
		cat := enCatalog()
		note := cat.interrupted(cat.ReasonLockLost)
		texts := s.WaitWithin(t, time.Minute, "the lock-lost note", func(texts []string) bool {
			return len(texts) > 0 && strings.Contains(texts[len(texts)-1], note)
		})
		e.Wait()
		if !strings.Contains(strings.Join(texts, "\n"), "partial answer") {
			t.Errorf("reply %q lost what was shown", texts)
		}
		if reps := obs.Reports(); len(reps) != 1 || reps[0].Outcome != OutcomeLockLost {
			t.Errorf("reports %+v, want one %s", reps, OutcomeLockLost)
		}
		if turns := loadTurns(t, store, "tg:1"); len(turns) != 0 {
			t.Errorf("stored %+v, want nothing: another replica may own the chat", turns)
		}
		select {
		case <-st.ctx.Done():
		default:
			t.Error("the model stream's context is still live")
		}
	})
}

func TestEngineDoesNotStoreATurnWhoseLockWasLostAfterItEnded(t *testing.T) {
	tests := []struct {
		name string
		end  func(t *testing.T, e *Engine, st *fakeStream)
		want Outcome
	}{
		{
			name: "stopped, then lost",
			end: func(t *testing.T, e *Engine, _ *fakeStream) {
				if !e.Stop("tg:1") {
					t.Fatal("Stop = false with a turn running")
				}
			},
			want: OutcomeStopped,
		},
		{
			name: "answered, then lost",
			end:  func(_ *testing.T, _ *Engine, st *fakeStream) { close(st.Steps) },
			want: OutcomeOK,
		},
	}
	// A store without AppendIfLocked makes the engine refresh the lock
	// before appending instead.
	stores := []struct {
		name string
		wrap func(*memory.Embedded) history
	}{
		{"append if locked", func(e *memory.Embedded) history { return e }},
		{"refresh then append", func(e *memory.Embedded) history { return struct{ history }{e} }},
	}
	for _, tt := range tests {
		for _, sk := range stores {
			t.Run(tt.name+"/"+sk.name, func(t *testing.T) {
				testLockLostAfterEnd(t, sk.wrap, tt.end, tt.want)
			})
		}
	}
}

// testLockLostAfterEnd ends a turn with end after its chat's lock expired
// and another replica took it, and checks the turn ended with want and was
// not stored.
func testLockLostAfterEnd(t *testing.T, wrap func(*memory.Embedded) history, end func(t *testing.T, e *Engine, st *fakeStream), want Outcome) {
	synctest.Test(t, func(t *testing.T) {
		var skew atomic.Int64
		store := memory.NewEmbedded(memory.Config{
			Now: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) },
		}, quietLog())
		m := newFakeModel()
		obs := &recObserver{}
		e := newTestEngine(t, Config{Observer: obs, LockTTL: 30 * time.Second}, m, wrap(store))
		s := newRecSurface()
		if err := e.Submit(t.Context(), turnFor("tg:1", "q", s)); err != nil {
			t.Fatal(err)
		}
		st := m.Next(t)
		st.Steps <- step{ev: llmAnswer("partial answer")}
		s.WaitText(t, "partial answer")

		skew.Store(int64(time.Hour)) // expired; the keep-alive has not noticed yet
		other, err := store.TryLock(t.Context(), "tg:1", time.Hour)
		if err != nil {
			t.Fatalf("another replica takes the expired lock: %v", err)
		}
		defer func() { _ = other.Release(t.Context()) }()
		end(t, e, st)
		e.Wait()
		if reps := obs.Reports(); len(reps) != 1 || reps[0].Outcome != want {
			t.Errorf("reports %+v, want one %s", reps, want)
		}
		if turns := loadTurns(t, store, "tg:1"); len(turns) != 0 {
			t.Errorf("stored %+v, want nothing: another replica owns the chat", turns)
		}
	})
}
