package bots

import (
	"context"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/memory"
)

// askerOf returns the asker of turnFor(chat, …).
func askerOf(chat string) string {
	return turnFor(chat, "", nil).asker()
}

// replicas are two engines sharing one in-process store, as two replicas
// share Redis: the store's lock and stop requests reach both.
type replicas struct {
	store  *memory.Embedded
	ma, mb *fakeModel
	a, b   *Engine
	sa, sb *recSurface
}

func newReplicas(t *testing.T) *replicas {
	t.Helper()
	r := &replicas{store: newEmbeddedStore(t), ma: newFakeModel(), mb: newFakeModel(), sa: newRecSurface(), sb: newRecSurface()}
	r.a = newTestEngine(t, Config{}, r.ma, r.store)
	r.b = newTestEngine(t, Config{}, r.mb, r.store)
	return r
}

// runOnA starts a turn of tg:1 on replica a and waits until it shows text.
func (r *replicas) runOnA(t *testing.T) *fakeStream {
	t.Helper()
	if err := r.a.Submit(t.Context(), turnFor("tg:1", "first", r.sa)); err != nil {
		t.Fatal(err)
	}
	st := r.ma.Next(t)
	st.Steps <- step{ev: llmAnswer("partial answer")}
	r.sa.WaitText(t, "partial answer")
	return st
}

func TestStopOnAReplicaWaitingForTheLockStopsTheRunningTurn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newReplicas(t)
		r.runOnA(t)
		if err := r.b.Submit(t.Context(), turnFor("tg:1", "second", r.sb)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // b's turn waits for the lock a holds
		if !r.b.Stop("tg:1") {
			t.Fatal("Stop on b = false, want a's running turn stopped")
		}
		r.sa.WaitText(t, enCatalog().Stopped)
		second := r.mb.Next(t) // b's turn was not stopped: it runs next
		second.Answer("second answer")
		r.sb.WaitText(t, "second answer")
	})
}

func TestStopTurnByIDAcrossReplicas(t *testing.T) {
	tests := []struct {
		name    string
		id      func(r *replicas) string
		by      Presser // zero: the asker of tg:1
		want    bool
		stopped bool // whether a's turn ends stopped
	}{
		{name: "a's turn stopped from b", id: func(r *replicas) string { return r.a.turnIDs + ".1." + askerOf("tg:1") }, want: true, stopped: true},
		{name: "a's turn stopped from b by an admin", id: func(r *replicas) string { return r.a.turnIDs + ".1." + askerOf("tg:1") }, by: admin, want: true, stopped: true},
		{name: "someone else's press on b stops nothing", id: func(r *replicas) string { return r.a.turnIDs + ".1." + askerOf("tg:1") }, by: Presser{User: "u:other"}, want: false},
		{name: "stale button of b stops nothing", id: func(r *replicas) string { return r.b.turnIDs + ".9." + askerOf("tg:1") }, want: false},
		{name: "not a turn id stops nothing", id: func(r *replicas) string { return r.a.turnIDs + ".1" }, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newReplicas(t)
				st := r.runOnA(t)
				if err := r.b.Submit(t.Context(), turnFor("tg:1", "second", r.sb)); err != nil {
					t.Fatal(err)
				}
				synctest.Wait()
				by := tt.by
				if by == (Presser{}) {
					by = presserOf(turnFor("tg:1", "", nil))
				}
				if got, _ := r.b.StopTurn("tg:1", tt.id(r), by); got != tt.want {
					t.Errorf("StopTurn on b = %v, want %v", got, tt.want)
				}
				if !tt.stopped {
					synctest.Wait()
					st.Answer(" done")
				}
				texts := r.sa.WaitFor(t, "a's final reply", func(texts []string) bool {
					return len(texts) > 0 && (strings.Contains(texts[0], enCatalog().Stopped) || strings.Contains(texts[0], "done"))
				})
				if got := strings.Contains(texts[0], enCatalog().Stopped); got != tt.stopped {
					t.Errorf("a's reply %q: stopped = %v, want %v", texts[0], got, tt.stopped)
				}
				r.mb.Next(t).Answer("second answer")
				r.sb.WaitText(t, "second answer")
			})
		})
	}
}

func TestStopRequestsFromTheStore(t *testing.T) {
	tests := []struct {
		name      string
		waiting   bool // the turn waits for a lock another replica holds
		stop      func(e *Engine) memory.Stop
		wantStops bool
	}{
		{name: "another replica's request stops the turn holding the lock", stop: func(*Engine) memory.Stop { return memory.Stop{Chat: "tg:1", From: "other"} }, wantStops: true},
		{name: "our own request come back stops nothing", stop: func(e *Engine) memory.Stop { return memory.Stop{Chat: "tg:1", From: e.turnIDs} }},
		{name: "no id spares a turn waiting for the lock", waiting: true, stop: func(*Engine) memory.Stop { return memory.Stop{Chat: "tg:1", From: "other"} }},
		{name: "an id stops its turn", stop: func(e *Engine) memory.Stop {
			return memory.Stop{Chat: "tg:1", ID: e.turnIDs + ".1." + askerOf("tg:1"), From: "other"}
		}, wantStops: true},
		{name: "the asker's turn stopped", stop: func(*Engine) memory.Stop { return memory.Stop{Chat: "tg:1", Holder: askerOf("tg:1"), From: "other"} }, wantStops: true},
		{name: "another asker's request spares the turn", stop: func(*Engine) memory.Stop { return memory.Stop{Chat: "tg:1", Holder: "x", From: "other"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				store := newEmbeddedStore(t)
				m := newFakeModel()
				e := newTestEngine(t, Config{}, m, store)
				if tt.waiting {
					other, err := store.TryLockFor(t.Context(), "tg:1", askerOf("tg:1"), time.Hour)
					if err != nil {
						t.Fatal(err)
					}
					defer func() { _ = other.Release(t.Context()) }()
				}
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				if err := e.Submit(ctx, turnFor("tg:1", "q", newRecSurface())); err != nil {
					t.Fatal(err)
				}
				if !tt.waiting {
					m.Next(t)
				}
				synctest.Wait()
				e.stopRequested(tt.stop(e))
				e.mu.Lock()
				stopped := e.chats["tg:1"].running[0].cancel == nil
				e.mu.Unlock()
				if stopped != tt.wantStops {
					t.Errorf("turn stopped = %v, want %v", stopped, tt.wantStops)
				}
				e.stop("tg:1", "", "") // end the test's turn
			})
		})
	}
}

// slowStops is an in-process store whose subscription to stop requests
// completes only when the test says so.
type slowStops struct {
	*memory.Embedded
	subscribe chan struct{}
}

func (s slowStops) Stops(ctx context.Context) (<-chan memory.Stop, error) {
	select {
	case <-s.subscribe:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.Embedded.Stops(ctx)
}

func TestATurnTakesTheLockOnlyOnceItsReplicaHearsStops(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := slowStops{Embedded: newEmbeddedStore(t), subscribe: make(chan struct{})}
		m := newFakeModel()
		e := newTestEngine(t, Config{}, m, store)
		if err := e.Submit(t.Context(), turnFor("tg:1", "q", newRecSurface())); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if n, err := store.Lockers(t.Context(), "tg:1"); err != nil || n != 0 {
			t.Fatalf("%d locks of the chat held (%v) before the replica subscribed to stop requests", n, err)
		}
		close(store.subscribe)
		m.Next(t).Answer("answer")
		e.Wait()
	})
}

func TestResetStopsATurnRunningOnAnotherReplica(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newReplicas(t)
		r.runOnA(t)
		if err := r.b.Command(t.Context(), Command{Name: CmdReset, Chat: "tg:1", Surface: r.sb}); err != nil {
			t.Fatal(err)
		}
		r.sa.WaitText(t, enCatalog().Stopped)
		r.sb.WaitText(t, enCatalog().ResetDone)
		r.a.Wait()
		r.b.Wait()
		if turns := loadTurns(t, r.store, "tg:1"); len(turns) != 0 {
			t.Errorf("history after /reset: %+v, want none", turns)
		}
	})
}
