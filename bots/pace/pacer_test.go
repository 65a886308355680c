package pace

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
)

// trigger is the user message replies answer.
var trigger = MessageRef{ID: "trigger"}

// rig is one pacer streaming into a fake chat.
type rig struct {
	clk  *botstest.FakeClock
	fs   *fakeSurface
	gate *Gate
	p    *Reply
}

// newRig builds a rig with its own clock inside a synctest bubble; edit may
// adjust the config.
func newRig(t *testing.T, l Limits, edit func(*ReplyConfig)) *rig {
	t.Helper()
	return newRigOn(t, botstest.NewFakeClock(epoch), l, edit)
}

// newRigOn is newRig on a given clock, for several chats in one test.
func newRigOn(t *testing.T, clk *botstest.FakeClock, l Limits, edit func(*ReplyConfig)) *rig {
	t.Helper()
	fs := newFakeSurface(t, clk, l)
	gate := NewGate(l, nil, clk)
	cfg := ReplyConfig{
		Surface: fs, Gate: gate, Clock: clk, Layout: testLayout(l.MaxLen),
		ReplyTo: trigger, Log: slog.New(slog.DiscardHandler),
	}
	if edit != nil {
		edit(&cfg)
	}
	return &rig{clk: clk, fs: fs, gate: gate, p: NewReply(cfg)}
}

// texts returns the texts of calls.
func texts(calls []fakeCall) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Op + ":" + c.Out.Text
	}
	return out
}

func TestPacerTelegramGroupStream(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Limits{MaxLen: 4096, Format: FormatHTML, EditInterval: 3 * time.Second, WindowCap: 18, Window: time.Minute}
		r := newRig(t, l, nil)
		r.fs.rule = &tgRule{PerMinute: 20, RetryAfter: 10 * time.Second} // Telegram: 20 per rolling minute in a group
		var firstVisible time.Duration = -1
		r.p.cfg.Hooks.OnFirstVisible = func(d time.Duration) { firstVisible = d }
		r.p.Start(t.Context())
		var answer strings.Builder
		for i := range 600 { // a chunk every 100 ms for 60 s
			fmt.Fprintf(&answer, "tok%04d ", i)
			r.p.Update(State{Answer: answer.String()})
			synctest.Wait()
			r.clk.Advance(100 * time.Millisecond)
		}
		refs, err := finishing(t, r.clk, 100*time.Millisecond, r.p, t.Context(), State{Answer: answer.String()})
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if n := r.fs.Limited(); n != 0 {
			t.Errorf("got %d 429s, want none", n)
		}
		shown := r.fs.Shown()
		if len(shown) != 2 || len(refs) != 2 {
			t.Fatalf("shown %d messages, refs %v; want 2", len(shown), refs)
		}
		if got := shown[0].Text + shown[1].Text; got != answer.String() {
			t.Errorf("final text differs: got %d chars, want %d", len(got), answer.Len())
		}
		if shown[0].ReplyTo != trigger || shown[1].ReplyTo != refs[0] {
			t.Errorf("reply chain = %v, %v; want %v, %v", shown[0].ReplyTo, shown[1].ReplyTo, trigger, refs[0])
		}
		if shown[0].StopButton || shown[1].StopButton {
			t.Error("stop button left on the final reply")
		}
		if firstVisible != 0 {
			t.Errorf("first visible after %v, want at once", firstVisible)
		}
		calls := r.fs.Calls("send", "edit")
		t.Logf("%d message requests, %d typing", len(calls), len(r.fs.Calls("typing")))
		assertPaced(t, calls, 15, 18)
	})
}

// assertPaced checks that at least atLeast message requests were made and
// no rolling minute had more than perMinute.
func assertPaced(t *testing.T, calls []fakeCall, atLeast, perMinute int) {
	t.Helper()
	if len(calls) < atLeast {
		t.Errorf("made %d message requests, want at least %d (live updates)", len(calls), atLeast)
	}
	for i, c := range calls {
		n := 0
		for _, d := range calls[i:] {
			if d.At.Sub(c.At) < time.Minute {
				n++
			}
		}
		if n > perMinute {
			t.Fatalf("%d requests in the minute from %v, want ≤ %d", n, c.At.Sub(epoch), perMinute)
		}
	}
}

func TestPacerLatestWins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
		release := make(chan struct{})
		r.fs.Hook = func(c fakeCall) error {
			if c.Out.Text == "s1" {
				<-release // the first send is slow
			}
			return nil
		}
		r.p.Update(State{Answer: "s1"})
		r.p.Start(t.Context())
		synctest.Wait()
		for i := 2; i <= 10; i++ {
			r.p.Update(State{Answer: fmt.Sprintf("s%d", i)})
		}
		close(release)
		synctest.Wait()
		if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "s10"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		got := r.fs.Calls("send", "edit")
		want := []fakeCall{
			{Op: "send", Out: Outgoing{Text: "s1", Format: FormatHTML, ReplyTo: trigger, StopButton: true}},
			{Op: "edit", Out: Outgoing{Text: "s10", Format: FormatHTML, StopButton: true}},
			{Op: "edit", Out: Outgoing{Text: "s10", Format: FormatHTML}},
		}
		assertCalls(t, got, want)
	})
}

// assertCalls compares the ops and outgoing messages of calls.
func assertCalls(t *testing.T, got, want []fakeCall) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("calls = %q, want %q", texts(got), texts(want))
	}
	for i := range want {
		if got[i].Op != want[i].Op || got[i].Out != want[i].Out {
			t.Errorf("call %d = %s %+v, want %s %+v", i, got[i].Op, got[i].Out, want[i].Op, want[i].Out)
		}
	}
}

func TestPacerRepliesOfAChatDoNotWaitForEachOther(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Limits{MaxLen: 100, Format: FormatHTML}
		r := newRig(t, l, nil)
		r.fs.Shared = true
		other := NewReply(ReplyConfig{
			Surface: r.fs, Gate: r.gate, Clock: r.clk, Layout: testLayout(100),
			Log: slog.New(slog.DiscardHandler),
		})
		release := make(chan struct{})
		var entered []string
		r.fs.Hook = func(c fakeCall) error {
			entered = append(entered, c.Op+":"+c.Out.Text)
			if c.Out.Text == "a1" {
				<-release
			}
			return nil
		}
		r.p.Update(State{Answer: "a1"})
		other.Update(State{Answer: "b1"})
		r.p.Start(t.Context())
		synctest.Wait()
		other.Start(t.Context())
		synctest.Wait()
		if len(entered) != 2 {
			t.Fatalf("requests started while a slow one of another reply is in flight: %q, want b1 too", entered)
		}
		close(release)
		synctest.Wait()
		for _, p := range []*Reply{r.p, other} {
			if _, err := finishing(t, r.clk, time.Second, p, t.Context(), State{Answer: "done"}); err != nil {
				t.Fatalf("Finish: %v", err)
			}
		}
		if got := len(r.fs.Shown()); got != 2 {
			t.Errorf("shown %d messages, want one per reply", got)
		}
	})
}

func TestPacer429PausesOnlyThatChat(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Limits{MaxLen: 100, Format: FormatHTML, EditInterval: time.Second}
		clk := botstest.NewFakeClock(epoch)
		a, b := newRigOn(t, clk, l, nil), newRigOn(t, clk, l, nil)
		limitedAt := make(chan time.Time, 1)
		a.fs.Hook = func(c fakeCall) error {
			if c.Op == "edit" && len(limitedAt) == 0 {
				limitedAt <- c.At
				return &RetryAfterError{After: 30 * time.Second}
			}
			return nil
		}
		a.p.Start(t.Context())
		b.p.Start(t.Context())
		for i := range 40 {
			a.p.Update(State{Answer: fmt.Sprint("a", i)})
			b.p.Update(State{Answer: fmt.Sprint("b", i)})
			advance(clk, 1, time.Second)
		}
		at := <-limitedAt
		var resumed []fakeCall
		for _, c := range a.fs.Calls("edit") {
			if c.At.After(at) {
				resumed = append(resumed, c)
			}
		}
		if len(resumed) == 0 || resumed[0].At.Sub(at) < 30*time.Second {
			t.Fatalf("chat A edited again at %v after its 429, want ≥ 30s", resumed)
		}
		// Update i happens at i seconds; the edit at second n shows n-1
		// because update n comes right after it.
		if want := fmt.Sprint("a", int(resumed[0].At.Sub(epoch)/time.Second)-1); resumed[0].Out.Text != want {
			t.Errorf("chat A resumed with %q, want the newest %q", resumed[0].Out.Text, want)
		}
		duringPause := 0
		for _, c := range b.fs.Calls("edit") {
			if c.At.After(at) && c.At.Sub(at) < 30*time.Second {
				duringPause++
			}
		}
		if duringPause < 25 {
			t.Errorf("chat B edited %d times during chat A's pause, want it unaffected (~29)", duringPause)
		}
		for _, x := range []*rig{a, b} {
			if _, err := finishing(t, clk, time.Second, x.p, t.Context(), State{Answer: "end"}); err != nil {
				t.Fatalf("Finish: %v", err)
			}
		}
	})
}
