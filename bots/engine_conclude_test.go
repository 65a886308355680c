package bots

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/llm"
)

// These tests run in a synctest bubble on the system clock, so the fake
// time passes platform pauses longer than the engine's timeouts.

func TestFinalStateWaitsOutALong429Pause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		obs := &recObserver{}
		store := newEmbeddedStore(t)
		e := newTestEngine(t, Config{Observer: obs}, m, store)
		s := newRecSurface()
		if err := e.Submit(t.Context(), turnFor("tg:1", "q", s)); err != nil {
			t.Fatal(err)
		}
		st := m.Next(t)
		s.WaitText(t, "…")
		e.gate("tg:1", s.Limits()).Pause(time.Minute) // longer than finishTimeout
		st.Answer("the answer")
		s.WaitWithin(t, 5*time.Minute, "the final answer", func(texts []string) bool {
			return slices.Equal(texts, []string{"the answer"})
		})
		e.Wait()
		if got := s.Messages(); got[0].Out.StopButton {
			t.Errorf("final message %+v still has the stop button", got[0].Out)
		}
		if n := len(loadTurns(t, store, "tg:1")); n != 1 {
			t.Errorf("%d turns stored, want 1", n)
		}
		if reps := obs.Reports(); len(reps) != 1 || reps[0].Outcome != OutcomeOK {
			t.Errorf("reports %+v, want one ok", reps)
		}
	})
}

// TestTheAskersLockOutlivesTheFinal checks that a turn is stored, which
// releases the asker's lock, only once its final is on screen: the
// asker's next turn, maybe on another replica with its own pace, cannot
// answer before this one.
func TestTheAskersLockOutlivesTheFinal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		store := newEmbeddedStore(t)
		e := newTestEngine(t, Config{}, m, store)
		s := newRecSurface()
		if err := e.Submit(t.Context(), turnFor("tg:1", "q", s)); err != nil {
			t.Fatal(err)
		}
		st := m.Next(t)
		s.WaitText(t, "…")
		e.gate("tg:1", s.Limits()).Pause(10 * time.Second)
		st.Answer("the answer")
		synctest.Wait() // the final waits out the pause
		if texts := s.Texts(); slices.Contains(texts, "the answer") {
			t.Fatalf("final %q shown during the pause", texts)
		}
		if n, err := store.Lockers(t.Context(), "tg:1"); err != nil || n != 1 {
			t.Errorf("%d lock holders (%v) while the final waits, want the asker's", n, err)
		}
		if n := len(loadTurns(t, store, "tg:1")); n != 0 {
			t.Errorf("%d turns stored before the final was shown, want 0", n)
		}
		e.Wait()
		if texts := s.Texts(); !slices.Contains(texts, "the answer") {
			t.Errorf("texts %q, want the final", texts)
		}
		if n, err := store.Lockers(t.Context(), "tg:1"); err != nil || n != 0 {
			t.Errorf("%d lock holders (%v) after the turn, want 0", n, err)
		}
		if n := len(loadTurns(t, store, "tg:1")); n != 1 {
			t.Errorf("%d turns stored, want 1", n)
		}
	})
}

func TestUndeliveredFinalIsReportedAndTheTurnStored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		m.Auto = func(llm.Request) []step { return answerSteps("lost answer") }
		obs := &recObserver{}
		store := newEmbeddedStore(t)
		e := newTestEngine(t, Config{Observer: obs}, m, store)
		s := newRecSurface()
		s.SendErr = func(context.Context, Outgoing) error { return errors.New("connection reset") }
		if err := e.Submit(t.Context(), turnFor("tg:1", "q", s)); err != nil {
			t.Fatal(err)
		}
		e.Wait()
		if reps := obs.Reports(); len(reps) != 1 || reps[0].Outcome != OutcomeUndelivered {
			t.Errorf("reports %+v, want one undelivered", reps)
		}
		if turns := loadTurns(t, store, "tg:1"); len(turns) != 1 || turns[0].Assistant != "lost answer" {
			t.Errorf("stored %+v, want the turn although its reply failed", turns)
		}
	})
}

func TestAnswersWithNothingToShowEndWithANote(t *testing.T) {
	en := enCatalog()
	done := func(reason string) step {
		return step{ev: llm.Event{Kind: llm.EventDone, FinishReason: reason}}
	}
	tests := []struct {
		name  string
		steps []step
		want  string // the note the reply ends with
	}{
		{"whitespace answer", []step{{ev: llmAnswer(" \n\n ")}, done("stop")}, en.EmptyAnswer},
		{"thinking only", []step{{ev: llmReasoning("let me see")}, done("stop")}, en.EmptyAnswer},
		{"length reached while thinking", []step{{ev: llmReasoning("long thought")}, done("length")}, en.Truncated},
		{"length reached with a blank answer", []step{{ev: llmReasoning("long thought")}, {ev: llmAnswer("\n")}, done("length")}, en.Truncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newFakeModel()
			m.Auto = func(llm.Request) []step { return tc.steps }
			store := newEmbeddedStore(t)
			e := newTestEngine(t, Config{}, m, store)
			s := newRecSurface()
			if err := e.Submit(t.Context(), turnFor("tg:1", "q", s)); err != nil {
				t.Fatal(err)
			}
			e.Wait()
			texts := s.Texts()
			if len(texts) != 1 || !strings.HasSuffix(texts[0], tc.want) {
				t.Errorf("reply %q, want it to end with %q", texts, tc.want)
			}
			if n := len(loadTurns(t, store, "tg:1")); n != 0 {
				t.Errorf("%d turns stored, want 0 (there is no answer)", n)
			}
		})
	}
}

func TestShutdownDoesNotWaitOutAPausedFinal(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
		s := newRecSurface()
		if err := e.Submit(t.Context(), turnFor("tg:1", "question", s)); err != nil {
			t.Fatal(err)
		}
		st := m.Next(t)
		st.Steps <- step{ev: llmAnswer("half an answer")}
		s.WaitText(t, "half an answer")
		e.gate("tg:1", s.Limits()).Pause(time.Hour) // the platform said 429

		ctx, cancel := context.WithCancel(t.Context())
		cancel() // the drain deadline has passed
		start := time.Now()
		if err := e.Shutdown(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Shutdown = %v, want it to report the interrupted turn", err)
		}
		if took := time.Since(start); took > restartNoticeTimeout {
			t.Errorf("Shutdown took %v waiting for a paused final, want at most %v", took, restartNoticeTimeout)
		}
	})
}
