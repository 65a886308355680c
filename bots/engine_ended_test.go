package bots

import (
	"sync/atomic"
	"testing"

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
