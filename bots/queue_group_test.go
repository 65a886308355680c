package bots

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
)

// groupTurn returns a turn of user n in group chat.
func groupTurn(chat string, n int, text string, s Surface) Turn {
	id := string(rune('0' + n))
	return Turn{Chat: chat, User: "tg:" + id, Sender: Sender{ID: id, Name: "user" + id}, Group: true,
		Text: text, Surface: s, ReplyTo: MessageRef{ID: "q" + id}}
}

// lastUserText returns the question of a model request.
func lastUserText(st *fakeStream) string {
	texts := userTexts(st.Req)
	return texts[len(texts)-1]
}

func TestGroupAnswersAskersSideBySide(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		var counter inflight
		store := newEmbeddedStore(t)
		e := newEngine(Config{MaxTurnsPerChat: 4}, counter.track(m), m.model, store, quietLog())
		t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
		s := newRecSurface()
		for n := range 6 {
			if err := e.Submit(t.Context(), groupTurn("tg:-1", n, "q"+string(rune('0'+n)), s)); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		var first []*fakeStream
		for range 4 {
			first = append(first, <-m.Opened)
		}
		synctest.Wait()
		if len(m.Opened) != 0 || counter.now != 4 {
			t.Fatalf("%d streams open, want the first 4 askers answered at once", counter.now)
		}
		first[2].Answer("answer 2")
		next := m.Next(t) // a slot came free: the fifth asker starts
		if got := lastUserText(next); !strings.Contains(got, "q4") {
			t.Fatalf("after one answer the next request asks %q, want the fifth asker's q4", got)
		}
		for _, st := range append(slices.Delete(first, 2, 3), next) {
			st.Answer("answer")
		}
		m.Next(t).Answer("answer 5")
		e.Wait()
		if n := len(loadTurns(t, store, "tg:-1")); n != 6 {
			t.Errorf("%d turns stored, want 6", n)
		}
	})
}

func TestGroupKeepsEachAskersTurnsInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		store := newEmbeddedStore(t)
		e := newTestEngine(t, Config{MaxTurnsPerChat: 4}, m, store)
		s := newRecSurface()
		for _, tt := range []struct {
			user int
			text string
		}{{1, "a1"}, {1, "a2"}, {2, "b1"}} {
			if err := e.Submit(t.Context(), groupTurn("tg:-1", tt.user, tt.text, s)); err != nil {
				t.Fatal(err)
			}
		}
		synctest.Wait()
		var open []*fakeStream
		for len(m.Opened) > 0 {
			open = append(open, <-m.Opened)
		}
		slices.SortFunc(open, func(x, y *fakeStream) int { return strings.Compare(lastUserText(x), lastUserText(y)) })
		if len(open) != 2 || !strings.Contains(lastUserText(open[0]), "a1") || !strings.Contains(lastUserText(open[1]), "b1") {
			t.Fatalf("open requests %d, want a1 and b1 side by side with a2 waiting behind a1", len(open))
		}
		open[1].Answer("answer b1") // b finishes first: stored first
		synctest.Wait()
		if len(m.Opened) != 0 {
			t.Fatal("a2 started while a1 runs")
		}
		open[0].Answer("answer a1")
		a2 := m.Next(t)
		// a2 sees the history stored when it starts: b1's turn, then a1's.
		if got := userTexts(a2.Req); len(got) != 3 || !strings.Contains(got[0], "b1") || !strings.Contains(got[1], "a1") {
			t.Errorf("a2's request carries %q, want b1 and a1 (in the order they finished), then a2", got)
		}
		a2.Answer("answer a2")
		e.Wait()
	})
}

func TestGroupStopStopsTheSendersOwnTurn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
		sa, sb := newRecSurface(), newRecSurface()
		a, b := groupTurn("tg:-1", 1, "a", sa), groupTurn("tg:-1", 2, "b", sb)
		for _, turn := range []Turn{a, b} {
			if err := e.Submit(t.Context(), turn); err != nil {
				t.Fatal(err)
			}
		}
		m.Next(t)
		m.Next(t)
		synctest.Wait()
		if !e.stopCommand(Command{Chat: "tg:-1", User: b.User, Sender: b.Sender}) {
			t.Fatal("/stop of b stopped nothing")
		}
		sb.WaitText(t, enCatalog().Stopped)
		synctest.Wait()
		if texts := sa.Texts(); slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, enCatalog().Stopped) }) {
			t.Fatalf("a's reply %q was stopped by b's /stop", texts)
		}
		if !e.stopCommand(Command{Chat: "tg:-1", User: "tg:9", Sender: Sender{ID: "9", Admin: true}}) {
			t.Fatal("an admin's /stop stopped nothing")
		}
		sa.WaitText(t, enCatalog().Stopped)
		e.Wait()
	})
}

func TestPlaceholderWaitsForTheModel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		clk := botstest.NewFakeClock(epoch)
		m := newFakeModel()
		e := newTestEngine(t, Config{Clock: clk}, m, newEmbeddedStore(t))
		fast, slow := newRecSurface(), newRecSurface()
		if err := e.Submit(t.Context(), turnFor("tg:1", "fast", fast)); err != nil {
			t.Fatal(err)
		}
		if err := e.Submit(t.Context(), turnFor("tg:2", "slow", slow)); err != nil {
			t.Fatal(err)
		}
		st1, st2 := m.Next(t), m.Next(t)
		if lastUserText(st1) != "fast" {
			st1, st2 = st2, st1
		}
		clk.Advance(time.Second)
		synctest.Wait()
		for _, s := range []*recSurface{fast, slow} {
			if texts := s.Texts(); len(texts) != 0 || s.Typings() == 0 {
				t.Fatalf("after 1 s without a word from the model: %q and %d typing, want only typing", texts, s.Typings())
			}
		}
		st1.Steps <- step{ev: llmAnswer("x = 2")}
		synctest.Wait()
		clk.Advance(500 * time.Millisecond)
		synctest.Wait()
		if got := fast.Texts(); len(got) != 1 || got[0] != "x = 2" {
			t.Errorf("the chat whose model spoke at 1 s shows %q, want its first words as the first message", got)
		}
		if got := slow.Texts(); len(got) != 1 || got[0] != enCatalog().Placeholder {
			t.Errorf("the chat whose model is silent at 1.5 s shows %q, want the placeholder", got)
		}
		st1.Answer()
		st2.Answer("ok")
		e.Wait()
	})
}
