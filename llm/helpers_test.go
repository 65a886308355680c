package llm_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// result is everything a stream produced.
type result struct {
	reasoning, answer string
	kinds             []llm.EventKind
	done              llm.Event
	err               error // the error that ended the stream; nil after io.EOF
}

// collect reads s to the end.
func collect(t *testing.T, s *llm.Stream) result {
	t.Helper()
	var r result
	for {
		ev, err := s.Recv()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				r.err = err
			}
			return r
		}
		r.kinds = append(r.kinds, ev.Kind)
		switch ev.Kind {
		case llm.EventReasoning:
			r.reasoning += ev.Text
		case llm.EventAnswer:
			r.answer += ev.Text
		case llm.EventDone:
			r.done = ev
		}
	}
}

// newClient returns a client for srv; edit adjusts the config.
func newClient(t *testing.T, srv *llmtest.Server, cfg llm.Config) *llm.Client {
	t.Helper()
	c, err := llm.New(cfg, srv.Client(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// ask streams a one-message text question.
func ask(t *testing.T, c *llm.Client, req llm.Request) (*llm.Stream, error) {
	t.Helper()
	if req.Messages == nil {
		req.Messages = []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{llm.TextPart("你好")}}}
	}
	s, err := c.Stream(context.Background(), req)
	if err == nil {
		t.Cleanup(func() { s.Close() })
	}
	return s, err
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// fakeClock fires every timer at once and records the requested waits.
type fakeClock struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- time.Time{}
	return ch
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// manualClock is an llm.TimerClock whose timers fire only when the test
// advances it; After fires at once, as fakeClock's does.
type manualClock struct {
	fakeClock
	mu      sync.Mutex
	now     time.Duration
	timers  []*manualTimer
	resets  int
	reset   bool          // a timer was reset at the current time (since the last Advance)
	changed chan struct{} // closed and replaced on every reset
}

type manualTimer struct {
	c      *manualClock
	at     time.Duration
	active bool
	f      func()
}

func (c *manualClock) AfterFunc(d time.Duration, f func()) llm.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &manualTimer{c: c, at: c.now + d, active: true, f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *manualTimer) Reset(d time.Duration) bool {
	c := t.c
	c.mu.Lock()
	defer c.mu.Unlock()
	was := t.active
	t.at, t.active = c.now+d, true
	c.resets++
	c.reset = true
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
	return was
}

func (t *manualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.active
	t.active = false
	return was
}

// Resets returns how many times a timer was reset.
func (c *manualClock) Resets() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.resets
}

// WaitReset waits until a timer was reset since the last Advance (or since
// the start). Counting resets instead would race: a reset may land just
// before the count is taken and no other come until the test acts.
func (c *manualClock) WaitReset(t *testing.T) {
	t.Helper()
	for {
		c.mu.Lock()
		if c.reset {
			c.mu.Unlock()
			return
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-time.After(5 * time.Second):
			t.Fatalf("no timer was reset since the clock last moved (%d resets in all)", c.Resets())
		}
	}
}

// Advance moves the clock by d and runs the timers that came due.
func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now += d
	c.reset = false
	var due []func()
	for _, t := range c.timers {
		if t.active && t.at <= c.now {
			t.active = false
			due = append(due, t.f)
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

// receive waits for a value on ch; it fails the test after five seconds.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting")
		panic("unreachable")
	}
}
