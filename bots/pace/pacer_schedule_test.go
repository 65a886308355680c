package pace

import (
	"testing"
	"testing/synctest"
	"time"
)

// groupLimits are a Telegram group's: 18 requests per rolling minute,
// intermediate states 3 s apart.
var groupLimits = Limits{MaxLen: 4096, Format: FormatPlain, EditInterval: 3 * time.Second, WindowCap: 18, Window: time.Minute}

// placeholderRig is a rig with the real layout whose placeholder may show
// after 1.5 s.
func placeholderRig(t *testing.T, l Limits) *rig {
	t.Helper()
	return newRig(t, l, func(c *ReplyConfig) {
		c.Layout = nil
		c.PlaceholderAfter = 1500 * time.Millisecond
	})
}

func TestPacerFirstTextBeatsThePlaceholder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := placeholderRig(t, groupLimits)
		var firstText time.Duration
		r.p.cfg.Hooks.OnFirstText = func(d time.Duration) { firstText = d }
		r.p.Start(t.Context())
		r.p.Update(State{Placeholder: "…"})
		advance(r.clk, 10, 100*time.Millisecond)
		if calls := r.fs.Calls("send", "edit"); len(calls) != 0 {
			t.Fatalf("before the model said anything: %q, want only typing", texts(calls))
		}
		if len(r.fs.Calls("typing")) == 0 {
			t.Error("no typing while the model has said nothing")
		}
		r.p.Update(State{Placeholder: "…", Answer: "x = 2"})
		synctest.Wait()
		calls := r.fs.Calls("send", "edit")
		if len(calls) != 1 || calls[0].Out.Text != "x = 2" || !calls[0].At.Equal(epoch.Add(time.Second)) {
			t.Fatalf("after the first text at 1 s: %q, want it sent at once as the first message", texts(calls))
		}
		if firstText != time.Second {
			t.Errorf("OnFirstText after %v, want 1s", firstText)
		}
		advance(r.clk, 20, 100*time.Millisecond)
		if calls := r.fs.Calls("send", "edit"); len(calls) != 1 {
			t.Errorf("the placeholder came after the text: %q", texts(calls))
		}
		if _, err := finishing(t, r.clk, 100*time.Millisecond, r.p, t.Context(), State{Answer: "x = 2"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
	})
}

func TestPacerPlaceholderWhenTheModelIsSlow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := placeholderRig(t, groupLimits)
		r.p.Start(t.Context())
		r.p.Update(State{Placeholder: "…"})
		advance(r.clk, 14, 100*time.Millisecond)
		if calls := r.fs.Calls("send"); len(calls) != 0 {
			t.Fatalf("placeholder before 1.5 s: %q", texts(calls))
		}
		advance(r.clk, 1, 100*time.Millisecond)
		calls := r.fs.Calls("send")
		if len(calls) != 1 || calls[0].Out.Text != "…" || !calls[0].At.Equal(epoch.Add(1500*time.Millisecond)) {
			t.Fatalf("at 1.5 s: %q, want the placeholder", texts(calls))
		}
		r.clk.Advance(100 * time.Millisecond)
		r.p.Update(State{Placeholder: "…", Answer: "x = 2"})
		synctest.Wait()
		edits := r.fs.Calls("edit")
		if len(edits) != 1 || edits[0].Out.Text != "x = 2" || !edits[0].At.Equal(epoch.Add(1600*time.Millisecond)) {
			t.Fatalf("first text 0.1 s after the placeholder: %q, want it at once (not after the edit interval)", texts(edits))
		}
		if _, err := finishing(t, r.clk, 100*time.Millisecond, r.p, t.Context(), State{Answer: "x = 2"}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
	})
}

func TestPacerFinalDoesNotWaitForTheEditInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, groupLimits, nil)
		r.p.Start(t.Context())
		r.p.Update(State{Answer: "one"})
		synctest.Wait()
		r.clk.Advance(500 * time.Millisecond)
		r.p.Update(State{Answer: "one two"}) // waits for the interval
		synctest.Wait()
		r.clk.Advance(500 * time.Millisecond)
		done := make(chan error, 1)
		go func() {
			_, err := r.p.Finish(t.Context(), State{Answer: "one two three"})
			done <- err
		}()
		synctest.Wait()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Finish: %v", err)
			}
		default:
			t.Fatal("the final state waits for the group's edit interval")
		}
		calls := r.fs.Calls("send", "edit")
		last := calls[len(calls)-1]
		if last.Out.Text != "one two three" || !last.At.Equal(epoch.Add(time.Second)) || len(calls) != 2 {
			t.Errorf("requests %q, want the first text and the final at 1 s, the overtaken state dropped", texts(calls))
		}
	})
}

func TestPacerRepliesShareAGroupFinalsFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Six replies stream into one group at once; each must show its
		// first text and its final at once, within the group's limits.
		first := placeholderRig(t, groupLimits)
		rigs := []*rig{first}
		for range 5 {
			r := &rig{clk: first.clk, fs: first.fs, gate: first.gate}
			r.p = NewReply(ReplyConfig{Surface: first.fs, Gate: first.gate, Clock: first.clk, ReplyTo: trigger,
				PlaceholderAfter: 1500 * time.Millisecond, Log: first.p.log})
			rigs = append(rigs, r)
		}
		first.fs.rule = &tgRule{PerMinute: 20, RetryAfter: 10 * time.Second}
		first.fs.Shared = true
		for _, r := range rigs {
			r.p.Start(t.Context())
		}
		advance(first.clk, 8, 100*time.Millisecond) // the model's first token after 0.8 s
		text := ""
		for i := range 300 { // 300 tokens at 40/s
			text += "w "
			for _, r := range rigs {
				r.p.Update(State{Answer: text})
			}
			synctest.Wait()
			if i == 0 {
				if n := len(first.fs.Calls("send")); n != 6 {
					t.Fatalf("%d first texts sent at once, want 6", n)
				}
			}
			first.clk.Advance(25 * time.Millisecond)
		}
		at := first.clk.Now()
		for _, r := range rigs {
			if _, err := finishing(t, r.clk, time.Millisecond, r.p, t.Context(), State{Answer: text}); err != nil {
				t.Fatalf("Finish: %v", err)
			}
		}
		if n := first.fs.Limited(); n != 0 {
			t.Errorf("%d 429s, want none", n)
		}
		if late := first.clk.Now().Sub(at); late != 0 {
			t.Errorf("the six finals took %v after the last chunk, want none", late)
		}
		assertPaced(t, first.fs.Calls("send", "edit"), 12, 18)
	})
}
