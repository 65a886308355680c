package pace

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
)

var (
	_ Clock   = (*botstest.FakeClock)(nil)
	_ Surface = (*fakeSurface)(nil)
	_ Drafter = (*fakeSurface)(nil)
)

// epoch is where fake clocks start.
var epoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// fakeCall is one request a fakeSurface received.
type fakeCall struct {
	Op  string // send, edit, draft, delete, typing
	Ref MessageRef
	Out Outgoing
	At  time.Time
	Err error
}

// fakeMsg is a message as the fake platform shows it.
type fakeMsg struct {
	Out     Outgoing
	Deleted bool
}

// tgRule makes a fakeSurface rate-limit like Telegram: message requests
// (not typing) closer than MinGap, or more than PerMinute in a rolling
// minute, get a 429 asking to wait RetryAfter.
type tgRule struct {
	MinGap     time.Duration
	PerMinute  int
	RetryAfter time.Duration
}

// fakeSurface records requests, asserts that no two are ever in flight at
// once, and can be scripted through Hook: it runs before each request and a
// non-nil error is returned instead of performing it; it may block to make
// a request slow.
type fakeSurface struct {
	t      testing.TB
	clock  Clock
	limits Limits
	rule   *tgRule
	Hook   func(c fakeCall) error
	// Shared lets several replies' requests be in flight at once; each
	// message still may have only one.
	Shared bool

	mu       sync.Mutex
	inflight int
	busy     map[string]bool // messages with a request in flight
	seq      int
	msgs     map[string]*fakeMsg
	calls    []fakeCall
	counted  []time.Time
	limited  int
}

func newFakeSurface(t testing.TB, clock Clock, l Limits) *fakeSurface {
	return &fakeSurface{t: t, clock: clock, limits: l, msgs: map[string]*fakeMsg{}, busy: map[string]bool{}}
}

// Limits implements Surface.
func (f *fakeSurface) Limits() Limits { return f.limits }

// Send implements Surface.
func (f *fakeSurface) Send(_ context.Context, m Outgoing) (MessageRef, error) {
	var ref MessageRef
	err := f.request(fakeCall{Op: "send", Out: m}, func() {
		f.seq++
		ref = MessageRef{ID: fmt.Sprint(f.seq)}
		f.msgs[ref.ID] = &fakeMsg{Out: m}
	})
	return ref, err
}

// Edit implements Surface, answering ErrNotModified like Telegram.
func (f *fakeSurface) Edit(_ context.Context, ref MessageRef, m Outgoing) error {
	return f.request(fakeCall{Op: "edit", Ref: ref, Out: m}, func() {
		m.ReplyTo = f.msgs[ref.ID].Out.ReplyTo
		f.msgs[ref.ID].Out = m
	})
}

// Delete implements Surface.
func (f *fakeSurface) Delete(_ context.Context, ref MessageRef) error {
	return f.request(fakeCall{Op: "delete", Ref: ref}, func() { f.msgs[ref.ID].Deleted = true })
}

// Typing implements Surface.
func (f *fakeSurface) Typing(context.Context) error {
	return f.request(fakeCall{Op: "typing"}, func() {})
}

// Draft implements Drafter.
func (f *fakeSurface) Draft(_ context.Context, _ int64, m Outgoing) error {
	return f.request(fakeCall{Op: "draft", Out: m}, func() {})
}

// request checks, scripts, enforces limits, applies and records one call.
func (f *fakeSurface) request(c fakeCall, apply func()) error {
	f.mu.Lock()
	f.inflight++
	if f.inflight > 1 && !f.Shared {
		f.t.Errorf("%s while another request is in flight", c.Op)
	}
	if !c.Ref.IsZero() {
		if f.busy[c.Ref.ID] {
			f.t.Errorf("%s of message %s while another request for it is in flight", c.Op, c.Ref.ID)
		}
		f.busy[c.Ref.ID] = true
	}
	c.At = f.clock.Now()
	hook := f.Hook
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		delete(f.busy, c.Ref.ID)
		f.mu.Unlock()
	}()
	if hook != nil {
		c.Err = hook(c)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.Err == nil {
		c.Err = f.check(c)
	}
	if c.Err == nil {
		apply()
	}
	f.calls = append(f.calls, c)
	return c.Err
}

// check validates a call and enforces the Telegram-like rule.
func (f *fakeSurface) check(c fakeCall) error {
	if c.Op == "edit" {
		m, ok := f.msgs[c.Ref.ID]
		switch {
		case !ok || m.Deleted:
			return ErrGone
		case m.Out.Text == c.Out.Text && m.Out.StopButton == c.Out.StopButton:
			return ErrNotModified
		}
	}
	if c.Op != "typing" && fakeCount(f.limits, c.Out.Text) > f.limits.MaxLen {
		return ErrTooLong
	}
	if f.rule == nil || c.Op == "typing" {
		return nil
	}
	var recent []time.Time
	for _, at := range f.counted {
		if c.At.Sub(at) < time.Minute {
			recent = append(recent, at)
		}
	}
	f.counted = append(recent, c.At)
	if (len(recent) > 0 && c.At.Sub(recent[len(recent)-1]) < f.rule.MinGap) || len(recent) >= f.rule.PerMinute {
		f.limited++
		return &RetryAfterError{After: f.rule.RetryAfter}
	}
	return nil
}

// Calls returns the calls so far, optionally only those of the given ops.
func (f *fakeSurface) Calls(ops ...string) []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeCall
	for _, c := range f.calls {
		if len(ops) == 0 || slices.Contains(ops, c.Op) {
			out = append(out, c)
		}
	}
	return out
}

// Shown returns the texts of the live messages in the order they were sent.
func (f *fakeSurface) Shown() []Outgoing {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Outgoing
	for i := 1; i <= f.seq; i++ {
		if m := f.msgs[fmt.Sprint(i)]; !m.Deleted {
			out = append(out, m.Out)
		}
	}
	return out
}

// Limited returns how many 429s the rule handed out.
func (f *fakeSurface) Limited() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.limited
}

// fakeCount measures text by l.Count, or in runes.
func fakeCount(l Limits, s string) int {
	if l.Count != nil {
		return l.Count(s)
	}
	return len([]rune(s))
}

// testLayout shows the answer, else "🤔 " and the reasoning, then the note,
// split every max runes. It ignores the format, so tests see the format
// only in Outgoing.Format.
func testLayout(max int) LayoutFunc {
	return func(st State, _ Format) []string {
		text := st.Answer
		if text == "" && st.Reasoning != "" {
			text = "🤔 " + st.Reasoning
		}
		if st.Note != "" {
			text = strings.TrimSpace(text + "\n" + st.Note)
		}
		var parts []string
		for r := []rune(text); len(r) > 0; {
			n := min(max, len(r))
			parts = append(parts, string(r[:n]))
			r = r[n:]
		}
		return parts
	}
}

// finishing runs Finish in the background and steps the fake clock by step
// whenever everything else is blocked, until Finish returns. Call inside a
// synctest bubble.
func finishing(t *testing.T, clk *botstest.FakeClock, step time.Duration, p *Reply, ctx context.Context, st State) ([]MessageRef, error) {
	t.Helper()
	type result struct {
		refs []MessageRef
		err  error
	}
	res := make(chan result, 1)
	go func() {
		refs, err := p.Finish(ctx, st)
		res <- result{refs, err}
	}()
	for range 100_000 {
		synctest.Wait()
		select {
		case r := <-res:
			return r.refs, r.err
		default:
		}
		clk.Advance(step)
	}
	t.Fatal("Finish did not return")
	return nil, nil
}

// advance steps the clock by step, n times, letting the pacer settle after
// each step. Call inside a synctest bubble.
func advance(clk *botstest.FakeClock, n int, step time.Duration) {
	for range n {
		synctest.Wait()
		clk.Advance(step)
	}
	synctest.Wait()
}
