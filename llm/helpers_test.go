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
