package bots

import (
	"context"
	"math"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/llm"
)

// stopIDOf waits for a message of s with a stop button and returns its
// StopID.
func stopIDOf(t *testing.T, s *recSurface) string {
	t.Helper()
	var id string
	s.WaitFor(t, "a stop button", func([]string) bool {
		for _, m := range s.Messages() {
			if m.Out.StopButton {
				id = m.Out.StopID
				return true
			}
		}
		return false
	})
	return id
}

func TestStopTurnStopsOnlyTheTurnItNames(t *testing.T) {
	m := newFakeModel()
	e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
	first, second := newRecSurface(), newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "one", first)); err != nil {
		t.Fatal(err)
	}
	st := m.Next(t)
	st.Steps <- step{ev: llmAnswer("first answer")}
	old := stopIDOf(t, first)
	if old == "" {
		t.Fatal("the stop button carries no StopID")
	}
	st.Answer()
	e.Wait()
	if err := e.Submit(context.Background(), turnFor("tg:1", "two", second)); err != nil {
		t.Fatal(err)
	}
	st = m.Next(t)
	st.Steps <- step{ev: llmAnswer("second answer")}
	cur := stopIDOf(t, second)
	asker := presserOf(turnFor("tg:1", "", nil))
	for _, id := range []string{old, "bogus"} {
		if ok, err := e.StopTurn("tg:1", id, asker); ok || err != nil {
			t.Errorf("StopTurn(%q) = %v, %v; want the turn %q left running", id, ok, err, cur)
		}
	}
	if ok, _ := e.StopTurn("tg:2", cur, asker); ok {
		t.Error("StopTurn stopped a turn of another chat")
	}
	if ok, err := e.StopTurn("tg:1", cur, asker); !ok || err != nil {
		t.Fatal("StopTurn with the running turn's id did not stop it")
	}
	second.WaitText(t, "⏹ stopped")
	e.Wait()
}

func TestTopicsOfAGroupShareTheGroupsPace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		m := newFakeModel()
		m.Auto = func(llm.Request) []step { return answerSteps("ok") }
		e := newTestEngine(t, Config{Clock: clk}, m, newEmbeddedStore(t))
		limits := Limits{MaxLen: 4096, WindowCap: 1, Window: time.Minute}
		a, b := newRecSurface(), newRecSurface()
		a.limits, b.limits = limits, limits
		e.Notify(t.Context(), "tg:-100:1", "tg:-100", a, MessageRef{}, "first topic")
		synctest.Wait()
		if got := a.Texts(); len(got) != 1 {
			t.Fatalf("topic 1 shows %q, want the notice at once", got)
		}
		turn := turnFor("tg:-100:2", "q", b)
		turn.PaceKey = "tg:-100"
		if err := e.Submit(t.Context(), turn); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := b.Texts(); len(got) != 0 {
			t.Fatalf("topic 2 shows %q while the group's window is full", got)
		}
		clk.Advance(time.Minute)
		synctest.Wait()
		if got := b.Texts(); len(got) != 1 {
			t.Fatalf("topic 2 shows %q after the window moved on, want its reply", got)
		}
		for range 3 { // the answer's edit and the final state, a minute apart
			clk.Advance(time.Minute)
			synctest.Wait()
		}
		e.Wait()
		if got := b.Texts(); len(got) != 1 || got[0] != "ok" {
			t.Errorf("topic 2 shows %q, want the answer", got)
		}
	})
}

func TestNotifyReturnsAtOnceAndKeepsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		e := newTestEngine(t, Config{Clock: clk}, newFakeModel(), newEmbeddedStore(t))
		s := newRecSurface()
		s.limits.EditInterval = time.Second
		e.gate("tg:1", s.Limits()).Pause(time.Hour)
		for _, text := range []string{"one", "two", "two", "three"} {
			e.Notify(t.Context(), "tg:1", "", s, MessageRef{ID: "m"}, text)
		}
		synctest.Wait()
		if got := s.Texts(); len(got) != 0 {
			t.Fatalf("notices %q sent during a 429 pause", got)
		}
		clk.Advance(time.Hour)
		for range 2 {
			synctest.Wait()
			clk.Advance(time.Second)
		}
		e.Wait()
		got := s.Messages()
		if len(got) != 3 || got[0].Out.Text != "one" || got[1].Out.Text != "two" || got[2].Out.Text != "three" {
			t.Fatalf("notices %+v, want one, two, three once each", got)
		}
		if got[0].Out.ReplyTo != (MessageRef{ID: "m"}) || got[0].Out.Format != FormatPlain {
			t.Errorf("notice %+v, want a plain reply to m", got[0].Out)
		}
	})
}

func TestTypingShowsWhileWaitingForTheChatLock(t *testing.T) {
	m := newFakeModel()
	store := newEmbeddedStore(t)
	held, err := store.LockFor(t.Context(), "tg:1", askerOf("tg:1"), time.Minute) // another replica's turn of the asker
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t, Config{PlaceholderDelay: -1}, m, store)
	s := newRecSurface()
	if err := e.Submit(t.Context(), turnFor("tg:1", "q", s)); err != nil {
		t.Fatal(err)
	}
	s.WaitFor(t, "typing while the chat is locked", func([]string) bool { return s.Typings() > 0 })
	if got := s.Texts(); len(got) != 0 {
		t.Errorf("shows %q before the turn holds the chat's lock", got)
	}
	if err := held.Release(t.Context()); err != nil {
		t.Fatal(err)
	}
	s.WaitText(t, "…")
	m.Next(t).Answer("ok")
	s.WaitText(t, "ok")
	e.Wait()
}

func TestDraftIDsFitIn32Bits(t *testing.T) {
	clk := botstest.NewFakeClock(epoch)
	e := newTestEngine(t, Config{Clock: clk}, newFakeModel(), newEmbeddedStore(t))
	seen := map[int64]bool{}
	for range 3 {
		id := e.draftID("tg:1")
		if id < 1 || id > math.MaxInt32 || seen[id] {
			t.Fatalf("draft id %d: want distinct ids in [1, %d]", id, math.MaxInt32)
		}
		seen[id] = true
	}
	e.drafts.Store(math.MaxInt32 - 1)
	for _, want := range []int64{math.MaxInt32, 1} {
		if id := e.draftID("tg:1"); id != want {
			t.Errorf("draft id %d, want %d (wrapping past 2³¹-1)", id, want)
		}
	}
}
