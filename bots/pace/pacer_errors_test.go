package pace

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"
)

// html and plain build expected outgoing messages.
func html(text string, stop bool) Outgoing {
	return Outgoing{Text: text, Format: FormatHTML, StopButton: stop}
}

func plain(text string, stop bool) Outgoing {
	return Outgoing{Text: text, Format: FormatPlain, StopButton: stop}
}

// reply adds ReplyTo to an expected Send.
func reply(o Outgoing, to MessageRef) Outgoing {
	o.ReplyTo = to
	return o
}

func TestPacerSurfaceErrors(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		// hook scripts the fake; n counts message requests from 1.
		hook func(n int, c fakeCall) error
		// gone marks message 1 deleted after the first update.
		gone bool
		// backoff: the final state needs a retry after a backoff.
		backoff bool
		want    []fakeCall
	}{
		{
			name: "not modified counts as shown",
			hook: func(n int, c fakeCall) error {
				if n == 2 {
					return ErrNotModified
				}
				return nil
			},
			want: []fakeCall{
				{Op: "send", Out: reply(html("u1", true), trigger)},
				{Op: "edit", Out: html("u2", true), Err: ErrNotModified},
				{Op: "edit", Out: html("u2", false)},
			},
		},
		{
			name: "not modified on the final edit is success",
			hook: func(n int, c fakeCall) error {
				if n == 3 {
					return ErrNotModified
				}
				return nil
			},
			want: []fakeCall{
				{Op: "send", Out: reply(html("u1", true), trigger)},
				{Op: "edit", Out: html("u2", true)},
				{Op: "edit", Out: html("u2", false), Err: ErrNotModified},
			},
		},
		{
			name: "bad format resends plain and stays plain",
			hook: func(_ int, c fakeCall) error {
				if c.Out.Format == FormatHTML {
					return ErrBadFormat
				}
				return nil
			},
			want: []fakeCall{
				{Op: "send", Out: reply(html("u1", true), trigger), Err: ErrBadFormat},
				{Op: "send", Out: reply(plain("u1", true), trigger)},
				{Op: "edit", Out: plain("u2", true)},
				{Op: "edit", Out: plain("u2", false)},
			},
		},
		{
			name: "too long falls back to plain",
			hook: func(n int, _ fakeCall) error {
				if n == 2 {
					return ErrTooLong
				}
				return nil
			},
			want: []fakeCall{
				{Op: "send", Out: reply(html("u1", true), trigger)},
				{Op: "edit", Out: html("u2", true), Err: ErrTooLong},
				{Op: "edit", Out: plain("u2", true)},
				{Op: "edit", Out: plain("u2", false)},
			},
		},
		{
			name: "gone message continues in a new one",
			gone: true,
			want: []fakeCall{
				{Op: "send", Out: reply(html("u1", true), trigger)},
				{Op: "edit", Out: html("u2", true), Err: ErrGone},
				{Op: "send", Out: reply(html("u2", true), trigger)},
				{Op: "edit", Out: html("u2", false)},
			},
		},
		{
			name:    "intermediate failure is skipped, final retried",
			backoff: true,
			hook: func(n int, _ fakeCall) error {
				if n == 2 || n == 3 {
					return errBoom
				}
				return nil
			},
			want: []fakeCall{
				{Op: "send", Out: reply(html("u1", true), trigger)},
				{Op: "edit", Out: html("u2", true), Err: errBoom},
				{Op: "edit", Out: html("u2", false), Err: errBoom},
				{Op: "edit", Out: html("u2", false)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
				n := 0
				r.fs.Hook = func(c fakeCall) error {
					if c.Op == "typing" || tt.hook == nil {
						return nil
					}
					n++
					return tt.hook(n, c)
				}
				r.p.Update(State{Answer: "u1"})
				r.p.Start(t.Context())
				synctest.Wait()
				if tt.gone {
					r.fs.mu.Lock()
					r.fs.msgs["1"].Deleted = true
					r.fs.mu.Unlock()
				}
				r.p.Update(State{Answer: "u2"})
				synctest.Wait()
				if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "u2"}); err != nil {
					t.Fatalf("Finish: %v", err)
				}
				if waited := r.clk.Now().Sub(epoch); (waited > 0) != tt.backoff {
					t.Errorf("Finish took %v of backoff, want backoff %v", waited, tt.backoff)
				}
				got := r.fs.Calls("send", "edit")
				assertCalls(t, got, tt.want)
				for i := range tt.want {
					if i < len(got) && !errors.Is(got[i].Err, tt.want[i].Err) {
						t.Errorf("call %d error = %v, want %v", i, got[i].Err, tt.want[i].Err)
					}
				}
			})
		})
	}
}

func TestPacerFinalThrough429Storm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML, EditInterval: time.Second}, nil)
		limited := 0
		var at []time.Time
		r.fs.Hook = func(c fakeCall) error {
			if c.Op != "typing" && limited < 8 {
				limited++
				at = append(at, c.At)
				return &RetryAfterError{After: 5 * time.Second}
			}
			return nil
		}
		var pauses []time.Duration
		r.p.cfg.Hooks.On429 = func(d time.Duration) { pauses = append(pauses, d) }
		r.p.Update(State{Answer: "partial"})
		r.p.Start(t.Context())
		advance(r.clk, 3, time.Second)
		refs, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "complete"})
		if err != nil {
			t.Fatalf("Finish: %v", err)
		}
		if len(pauses) != 8 {
			t.Errorf("On429 called %d times, want 8", len(pauses))
		}
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < 5*time.Second {
				t.Errorf("request %d came %v after a 429 asking for 5s", i, gap)
			}
		}
		shown := r.fs.Shown()
		if len(refs) != 1 || len(shown) != 1 || shown[0] != reply(html("complete", false), trigger) {
			t.Errorf("refs %v, shown %+v; want the final text in one message", refs, shown)
		}
	})
}

func TestPacerFinishGivesUpWhenContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
		errDown := errors.New("platform down")
		r.fs.Hook = func(c fakeCall) error {
			if c.Op == "edit" {
				return errDown
			}
			return nil
		}
		r.p.Update(State{Answer: "partial"})
		r.p.Start(t.Context())
		synctest.Wait()
		ctx, cancel := context.WithCancel(t.Context())
		res := make(chan error, 1)
		go func() {
			_, err := r.p.Finish(ctx, State{Answer: "complete"})
			res <- err
		}()
		advance(r.clk, 120, time.Second)
		if got := len(r.fs.Calls("edit")); got < 5 || got > 60 {
			t.Errorf("%d attempts in 2 minutes, want retries with backoff", got)
		}
		cancel()
		err := <-res
		if !errors.Is(err, context.Canceled) || !errors.Is(err, errDown) {
			t.Errorf("Finish error = %v, want it to wrap context.Canceled and the last error", err)
		}
	})
}

func TestPacerGivesUpOnUndeliverableChat(t *testing.T) {
	blocked := fmt.Errorf("telegram sendMessage: 403 Forbidden: %w", ErrUndeliverable)
	tests := []struct {
		name string
		// failOn is the request (counted from 1, typing excluded) that
		// first answers "undeliverable"; every later one does too.
		failOn int
		update bool // stream an intermediate state before Finish
		want   int  // message requests made in all
	}{
		{name: "intermediate send", failOn: 1, update: true, want: 1},
		{name: "final edit", failOn: 2, update: true, want: 2},
		{name: "final only", failOn: 1, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, Limits{MaxLen: 100, Format: FormatHTML}, nil)
				n := 0
				r.fs.Hook = func(c fakeCall) error {
					if c.Op == "typing" {
						return nil
					}
					if n++; n >= tt.failOn {
						return blocked
					}
					return nil
				}
				if tt.update {
					r.p.Update(State{Answer: "u1"})
				}
				r.p.Start(t.Context())
				synctest.Wait()
				if tt.update {
					r.p.Update(State{Answer: "u2"})
					synctest.Wait()
				}
				_, err := finishing(t, r.clk, time.Second, r.p, t.Context(), State{Answer: "done"})
				if !errors.Is(err, ErrUndeliverable) {
					t.Errorf("Finish error = %v, want ErrUndeliverable", err)
				}
				if waited := r.clk.Now().Sub(epoch); waited > 0 {
					t.Errorf("Finish waited %v, want it to give up at once", waited)
				}
				if got := len(r.fs.Calls("send", "edit", "draft", "delete")); got != tt.want {
					t.Errorf("%d message requests, want %d", got, tt.want)
				}
			})
		})
	}
}
