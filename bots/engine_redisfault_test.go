package bots

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

// recoveryBound is how soon after Redis recovers a chat must answer
// again: a lock left behind must not hold it for its TTL (30 s).
const recoveryBound = 5 * time.Second

// faultyRedis is a store on a redis-server of the test's own, whose faults
// the test plays.
func faultyRedis(t *testing.T) (*memorytest.Server, *memory.Store) {
	t.Helper()
	srv := memorytest.StartServer(t)
	return srv, memory.NewStore(srv.Client(), memory.Config{Prefix: "fault:"}, quietLog())
}

func TestATurnWhoseStoreFailedIsStoredBeforeTheChatsNextTurn(t *testing.T) {
	faults := []struct {
		name       string
		fail, mend func(*memorytest.Server)
	}{
		{"killed", (*memorytest.Server).Kill, (*memorytest.Server).Start},
		{"frozen", (*memorytest.Server).Freeze, (*memorytest.Server).Thaw},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			srv, store := faultyRedis(t)
			m := newFakeModel()
			obs := &recObserver{}
			e := newTestEngine(t, Config{Observer: obs}, m, store)
			s := newRecSurface()
			if err := e.Submit(t.Context(), turnFor("tg:1", "first question", s)); err != nil {
				t.Fatal(err)
			}
			st := m.Next(t)
			st.Steps <- step{ev: llmAnswer("first ")}
			s.WaitText(t, "first")
			f.fail(srv) // Redis fails during the answer…
			st.Answer("answer")
			s.WaitText(t, "first answer")
			e.Wait()    // …the turn ended, its store failed…
			f.mend(srv) // …and Redis is back.

			mended := time.Now()
			if err := e.Submit(t.Context(), turnFor("tg:1", "second question", s)); err != nil {
				t.Fatal(err)
			}
			st2 := m.Next(t)
			if took := time.Since(mended); took > recoveryBound {
				t.Errorf("the next turn started %v after Redis recovered, want at most %v", took, recoveryBound)
			}
			if got := userTexts(st2.Req); !slices.Contains(got, "first question") {
				t.Errorf("the next turn's prompt has user texts %q, want the first question in its history", got)
			}
			st2.Answer("second answer")
			e.Wait()
			var stored []string
			for _, tt := range loadTurns(t, store, "tg:1") {
				stored = append(stored, tt.User+" → "+tt.Assistant)
			}
			want := []string{"first question → first answer", "second question → second answer"}
			if !slices.Equal(stored, want) {
				t.Errorf("history %q, want %q", stored, want)
			}
			if n := obs.unsaved.Load(); n != 0 {
				t.Errorf("%d turns counted as unsaved, want 0", n)
			}
		})
	}
}

func TestALockRequestLostInAFreezeIsReleasedOnceRedisAnswers(t *testing.T) {
	srv, store := faultyRedis(t)
	m := newFakeModel()
	e := newTestEngine(t, Config{}, m, store)
	s := newRecSurface()
	srv.Freeze()
	// The turn's lock request times out; Redis applies it on SIGCONT.
	if err := e.Submit(t.Context(), turnFor("tg:1", "asked during the freeze", s)); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	if texts := s.Texts(); len(texts) == 0 || texts[len(texts)-1] != enCatalog().Generic {
		t.Errorf("the turn ended with %q, want a visible apology", texts)
	}
	srv.Thaw()
	thawed := time.Now()
	if err := e.Submit(t.Context(), turnFor("tg:1", "asked after it", s)); err != nil {
		t.Fatal(err)
	}
	st := m.Next(t)
	if took := time.Since(thawed); took > recoveryBound {
		t.Errorf("the next turn started %v after Redis recovered, want at most %v", took, recoveryBound)
	}
	st.Answer("fine")
	e.Wait()
}

// failingAppends is a store whose appends fail as if Redis were down.
type failingAppends struct{ *memory.Embedded }

func (failingAppends) AppendIfLocked(context.Context, string, *memory.Lock, memory.Turn, ...memory.Image) error {
	return errors.New("connection refused")
}

func TestTurnsThatCannotBeStoredAreBoundedAndCounted(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("an answer") }
	obs := &recObserver{}
	e := newTestEngine(t, Config{Observer: obs}, m, failingAppends{newEmbeddedStore(t)})
	s := newRecSurface()
	for i := range maxUnsavedPerChat + 3 {
		if err := e.Submit(t.Context(), turnFor("tg:1", fmt.Sprint("question ", i), s)); err != nil {
			t.Fatal(err)
		}
		e.Wait()
	}
	// Each turn retries the kept ones first (they fail again), then keeps
	// its own: the oldest beyond the bound are given up.
	if n := obs.unsaved.Load(); n != 3 {
		t.Errorf("%d turns counted as unsaved, want 3", n)
	}
	e.mu.Lock()
	kept := len(e.unsaved["tg:1"])
	e.mu.Unlock()
	if kept != maxUnsavedPerChat {
		t.Errorf("%d turns kept for a retry, want %d", kept, maxUnsavedPerChat)
	}
}

func TestTurnsKeptForARetryAreStoredAtShutdown(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("an answer") }
	obs := &recObserver{}
	store := failingAppends{newEmbeddedStore(t)} // only its locked appends fail
	e := newEngine(Config{Observer: obs}, m.open, m.model, store, quietLog())
	if err := e.Submit(t.Context(), turnFor("tg:1", "question", newRecSurface())); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	if n := len(loadTurns(t, store, "tg:1")); n != 0 {
		t.Fatalf("%d turns stored before shutdown, want 0", n)
	}
	if err := e.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if turns := loadTurns(t, store, "tg:1"); len(turns) != 1 || turns[0].Assistant != "an answer" {
		t.Errorf("stored %+v at shutdown, want the kept turn", turns)
	}
	if n := obs.unsaved.Load(); n != 0 {
		t.Errorf("%d turns counted as unsaved, want 0", n)
	}
}
