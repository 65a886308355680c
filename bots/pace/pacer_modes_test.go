package pace

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestPacerSplitsIntoReplies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 10, Format: FormatHTML}, nil)
		r.p.Update(State{Answer: "aaaaaaaaaabbbbbbbbbbccccc"})
		r.p.Start(t.Context())
		synctest.Wait()
		refs, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "aaaaaaaaaabbbbbbbbbbccccc"})
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if len(refs) != 3 {
			t.Fatalf("refs = %v, want 3 messages", refs)
		}
		assertCalls(t, r.fs.Calls("send", "edit"), []fakeCall{
			{Op: "send", Out: reply(html("aaaaaaaaaa", false), trigger)},
			{Op: "send", Out: reply(html("bbbbbbbbbb", false), refs[0])},
			{Op: "send", Out: reply(html("ccccc", true), refs[1])},
			{Op: "edit", Out: html("ccccc", false)},
		})
	})
}

func TestPacerStopButtonOnLastPartOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 10, Format: FormatHTML}, nil)
		r.p.Update(State{Answer: "aaaaa"})
		r.p.Start(t.Context())
		synctest.Wait()
		r.p.Update(State{Answer: "aaaaaaaaaabbbbb"})
		synctest.Wait()
		refs, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "aaaaaaaaaabbbbb"})
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
		assertCalls(t, r.fs.Calls("send", "edit"), []fakeCall{
			{Op: "send", Out: reply(html("aaaaa", true), trigger)},
			{Op: "edit", Out: html("aaaaaaaaaa", false)},
			{Op: "send", Out: reply(html("bbbbb", true), refs[0])},
			{Op: "edit", Out: html("bbbbb", false)},
		})
	})
}

func TestPacerInterruptedNeverStuckAtPlaceholder(t *testing.T) {
	tests := []struct {
		name  string
		final State
		want  string
	}{
		{name: "nothing answered", final: State{Reasoning: "…", Note: "⚠️ interrupted: timeout"}, want: "🤔 …\n⚠️ interrupted: timeout"},
		{name: "partial answer", final: State{Answer: "x = 2", Note: "⚠️ interrupted: stopped"}, want: "x = 2\n⚠️ interrupted: stopped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML, EditInterval: 3 * time.Second}, nil)
				r.p.Update(State{Reasoning: "…"}) // the engine's placeholder
				r.p.Start(t.Context())
				synctest.Wait()
				if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), tt.final); err != nil {
					t.Fatalf("Finish: %v", err)
				}
				shown := r.fs.Shown()
				if len(shown) != 1 || shown[0] != reply(html(tt.want, false), trigger) {
					t.Errorf("shown %+v, want %q without stop button", shown, tt.want)
				}
			})
		})
	}
}

func TestPacerFinalDeletesPartsNoLongerNeeded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 10, Format: FormatHTML}, nil)
		r.p.Update(State{Reasoning: "long thought"}) // two parts
		r.p.Start(t.Context())
		synctest.Wait()
		refs, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Reasoning: "long thought", Answer: "42"})
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if len(refs) != 1 || len(r.fs.Calls("delete")) != 1 {
			t.Errorf("refs %v, deletes %d; want one message left and one deleted", refs, len(r.fs.Calls("delete")))
		}
		if shown := r.fs.Shown(); len(shown) != 1 || shown[0].Text != "42" {
			t.Errorf("shown %+v, want only the answer", shown)
		}
	})
}

func TestPacerEmptyFinalLayoutKeepsReply(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
		r.p.Update(State{Answer: "partial"})
		r.p.Start(t.Context())
		synctest.Wait()
		refs, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{}) // lays out to nothing
		if err != nil || len(refs) != 1 {
			t.Fatalf("Finish = %v, %v; want the one message kept", refs, err)
		}
		if shown := r.fs.Shown(); len(shown) != 1 || shown[0] != reply(html("partial", false), trigger) {
			t.Errorf("shown %+v, want the partial text kept without stop button", shown)
		}
	})
}

func TestPacerTypingUntilFirstText(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
		r.p.Start(t.Context())
		synctest.Wait()
		for want := 1; want <= 3; want++ {
			if got := len(r.fs.Calls("typing")); got != want {
				t.Fatalf("after %v: %d typing calls, want %d", r.clk.Now().Sub(epoch), got, want)
			}
			advance(r.clk, 1, 4500*time.Millisecond)
		}
		r.p.Update(State{Answer: "hi"})
		advance(r.clk, 10, 4500*time.Millisecond)
		if got := len(r.fs.Calls("typing")); got != 4 {
			t.Errorf("%d typing calls, want 4 and none after the first text", got)
		}
		if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "hi"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
	})
}

func TestPacerTypingSkippedWhilePaused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
		r.gate.Pause(time.Minute)
		r.p.Start(t.Context())
		advance(r.clk, 10, 4500*time.Millisecond)
		if got := len(r.fs.Calls("typing")); got != 0 {
			t.Errorf("%d typing calls while the chat is paused, want 0", got)
		}
		advance(r.clk, 5, 4500*time.Millisecond)
		if got := len(r.fs.Calls("typing")); got == 0 {
			t.Error("no typing after the pause ended")
		}
		if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "hi"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
	})
}

func TestPacerStartContextEnded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
		ctx, cancel := context.WithCancel(t.Context())
		r.p.Update(State{Answer: "one"})
		r.p.Start(ctx)
		synctest.Wait()
		cancel()
		r.p.Update(State{Answer: "two"})
		advance(r.clk, 10, time.Second)
		if got := len(r.fs.Calls()); got != 1 {
			t.Errorf("%d calls after the streaming context ended, want only the first send", got)
		}
		if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "three"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if shown := r.fs.Shown(); len(shown) != 1 || shown[0].Text != "three" || shown[0].StopButton {
			t.Errorf("shown %+v, want the final text", shown)
		}
	})
}

func TestPacerFinishWithoutStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
		refs, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "only"})
		if err != nil || len(refs) != 1 {
			t.Fatalf("Finish = %v, %v; want one message", refs, err)
		}
		again, err := r.p.Finish(t.Context(), State{Answer: "ignored"})
		if err != nil || len(again) != 1 || again[0] != refs[0] {
			t.Errorf("second Finish = %v, %v; want the first result", again, err)
		}
		r.p.Update(State{Answer: "late"})
		if got := len(r.fs.Calls("send", "edit")); got != 1 {
			t.Errorf("%d requests, want 1", got)
		}
	})
}

func TestPacerDrafts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Limits{MaxLen: 10, Format: FormatHTML, Drafts: true}
		r := newRig(t, l, func(c *ReplyConfig) { c.DraftID = 42 })
		r.p.Update(State{Answer: "aaaaa"})
		r.p.Start(t.Context())
		synctest.Wait()
		r.p.Update(State{Answer: "aaaaaaaaaabbb"})
		synctest.Wait()
		refs, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "aaaaaaaaaabbbbb"})
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if len(refs) != 2 {
			t.Fatalf("refs = %v, want 2 real messages", refs)
		}
		assertCalls(t, r.fs.Calls("send", "edit", "draft"), []fakeCall{
			{Op: "draft", Out: html("aaaaa", false)},
			{Op: "send", Out: reply(html("aaaaaaaaaa", false), trigger)},
			{Op: "draft", Out: html("bbb", false)},
			{Op: "send", Out: reply(html("bbbbb", false), refs[0])},
		})
	})
}

func TestPacerDraftFallback(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := Limits{MaxLen: 100, Format: FormatHTML, Drafts: true}
		var failed []error
		r := newRig(t, l, func(c *ReplyConfig) {
			c.DraftID = 42
			c.Hooks.OnDraftFailed = func(err error) { failed = append(failed, err) }
		})
		errNoMethod := errors.New("method sendMessageDraft not found")
		r.fs.Hook = func(c fakeCall) error {
			if c.Op == "draft" {
				return errNoMethod
			}
			return nil
		}
		r.p.Update(State{Answer: "hello"})
		r.p.Start(t.Context())
		synctest.Wait()
		r.p.Update(State{Answer: "hello world"})
		synctest.Wait()
		if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "hello world"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if len(failed) != 1 || !errors.Is(failed[0], errNoMethod) {
			t.Errorf("OnDraftFailed got %v, want the draft error once", failed)
		}
		assertCalls(t, r.fs.Calls("send", "edit", "draft"), []fakeCall{
			{Op: "draft", Out: html("hello", false)},
			{Op: "send", Out: reply(html("hello", true), trigger)},
			{Op: "edit", Out: html("hello world", true)},
			{Op: "edit", Out: html("hello world", false)},
		})
	})
}

func TestPacerDraftsNeedDraftID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML, Drafts: true}, nil)
		r.p.Update(State{Answer: "hello"})
		r.p.Start(t.Context())
		if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "hello"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if got := len(r.fs.Calls("draft")); got != 0 {
			t.Errorf("%d drafts with DraftID 0, want none", got)
		}
	})
}

func TestPacerHooks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var kinds []string
		first := time.Duration(-1)
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, func(c *ReplyConfig) {
			c.Hooks.OnRequest = func(kind string, _ time.Duration, _ error) { kinds = append(kinds, kind) }
			c.Hooks.OnFirstVisible = func(d time.Duration) { first = d }
		})
		r.p.Start(t.Context())
		advance(r.clk, 1, 2*time.Second)
		r.p.Update(State{Answer: "hi"})
		synctest.Wait()
		if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "hi"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if want := []string{"typing", "send", "edit"}; len(kinds) != 3 || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] {
			t.Errorf("OnRequest kinds = %q, want %q", kinds, want)
		}
		if first != 2*time.Second {
			t.Errorf("OnFirstVisible(%v), want 2s", first)
		}
	})
}
