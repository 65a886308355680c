package bots

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/qwenbot/qwenbot/llm"
)

func TestEndedIsCalledOnceForEveryTurnTheEngineTook(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("an answer") }
	e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
	var ended atomic.Int64
	s := newRecSurface()
	for _, text := range []string{"answered", ""} { // the empty one is turned away
		tn := turnFor("tg:1", text, s)
		tn.Ended = func() { ended.Add(1) }
		if err := e.Submit(t.Context(), tn); err != nil {
			t.Fatal(err)
		}
	}
	e.Wait()
	if n := ended.Load(); n != 2 {
		t.Errorf("Ended called %d times, want 2", n)
	}
}

func TestResumableTurnsQueuedAtShutdownAreLeftToTheNextProcess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
		s := newRecSurface()
		var ended atomic.Int64
		for _, q := range []string{"running", "queued 1", "queued 2"} {
			tn := turnFor("tg:1", q, s)
			tn.Resumable = true
			tn.Ended = func() { ended.Add(1) }
			if err := e.Submit(t.Context(), tn); err != nil {
				t.Fatal(err)
			}
		}
		m.Next(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_ = e.Shutdown(ctx)
		for _, text := range s.Texts() {
			if text == enCatalog().Restarting {
				t.Errorf("a resumable turn was told to come back")
			}
		}
		if n := ended.Load(); n != 1 {
			t.Errorf("Ended called %d times, want once, for the interrupted running turn", n)
		}
	})
}
