package bots

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
)

var (
	_ history  = (*memory.Store)(nil)
	_ history  = (*memory.Embedded)(nil)
	_ streamer = (*llm.Client)(nil)
	_ Surface  = (*recSurface)(nil)
	_ Observer = NopObserver{}
)

// epoch is where fake clocks start.
var epoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// waitTimeout bounds every wait of a test for the engine.
const waitTimeout = 10 * time.Second

// recMsg is a message as the recording surface shows it.
type recMsg struct {
	Ref     MessageRef
	Out     Outgoing
	Edits   int
	Deleted bool
}

// recSurface is an instant Surface that records every message and lets a
// test wait for a condition on them. Send may be scripted to fail.
type recSurface struct {
	limits Limits
	// SendErr, if set, is called before each Send; a non-nil error is
	// returned instead.
	SendErr func(ctx context.Context, m Outgoing) error

	mu      sync.Mutex
	msgs    []*recMsg
	typing  int
	changed chan struct{}
}

// newRecSurface returns a surface with a 4096-character limit, plain
// format and no pacing.
func newRecSurface() *recSurface {
	return &recSurface{limits: Limits{MaxLen: 4096, Format: FormatPlain}, changed: make(chan struct{})}
}

// Limits implements Surface.
func (s *recSurface) Limits() Limits { return s.limits }

// Send implements Surface.
func (s *recSurface) Send(ctx context.Context, m Outgoing) (MessageRef, error) {
	if s.SendErr != nil {
		if err := s.SendErr(ctx, m); err != nil {
			return MessageRef{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := MessageRef{ID: fmt.Sprint(len(s.msgs) + 1)}
	s.msgs = append(s.msgs, &recMsg{Ref: ref, Out: m})
	s.notifyLocked()
	return ref, nil
}

// Edit implements Surface.
func (s *recSurface) Edit(_ context.Context, ref MessageRef, m Outgoing) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.findLocked(ref)
	if msg == nil {
		return ErrGone
	}
	m.ReplyTo = msg.Out.ReplyTo
	if msg.Out == m {
		return ErrNotModified
	}
	msg.Out = m
	msg.Edits++
	s.notifyLocked()
	return nil
}

// Delete implements Surface.
func (s *recSurface) Delete(_ context.Context, ref MessageRef) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if msg := s.findLocked(ref); msg != nil {
		msg.Deleted = true
		s.notifyLocked()
	}
	return nil
}

// Typing implements Surface.
func (s *recSurface) Typing(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.typing++
	s.notifyLocked()
	return nil
}

// Typings returns how often "typing…" was shown.
func (s *recSurface) Typings() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.typing
}

func (s *recSurface) findLocked(ref MessageRef) *recMsg {
	for _, m := range s.msgs {
		if m.Ref == ref && !m.Deleted {
			return m
		}
	}
	return nil
}

func (s *recSurface) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Texts returns the texts of the live messages in the order they were
// sent.
func (s *recSurface) Texts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.msgs {
		if !m.Deleted {
			out = append(out, m.Out.Text)
		}
	}
	return out
}

// Messages returns copies of the live messages.
func (s *recSurface) Messages() []recMsg {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []recMsg
	for _, m := range s.msgs {
		if !m.Deleted {
			out = append(out, *m)
		}
	}
	return out
}

// WaitFor waits until cond holds for the live texts, failing the test
// after waitTimeout.
func (s *recSurface) WaitFor(t testing.TB, what string, cond func(texts []string) bool) []string {
	t.Helper()
	return s.WaitWithin(t, waitTimeout, what, cond)
}

// WaitWithin is WaitFor failing after d, for tests in a synctest bubble
// whose fake time passes long platform pauses.
func (s *recSurface) WaitWithin(t testing.TB, d time.Duration, what string, cond func(texts []string) bool) []string {
	t.Helper()
	deadline := time.After(d)
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		texts := s.Texts()
		if cond(texts) {
			return texts
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out waiting for %s; messages: %q", what, texts)
		}
	}
}

// WaitText waits until some live message contains sub.
func (s *recSurface) WaitText(t testing.TB, sub string) []string {
	t.Helper()
	return s.WaitFor(t, fmt.Sprintf("a message containing %q", sub), func(texts []string) bool {
		return slices.ContainsFunc(texts, func(x string) bool { return strings.Contains(x, sub) })
	})
}

// step is one scripted event of a fake model stream, or its error.
type step struct {
	ev  llm.Event
	err error
}

// fakeStream is a model stream fed by a test through Steps; closing Steps
// ends it with io.EOF. Recv returns the context's error once the turn is
// cancelled.
type fakeStream struct {
	ctx    context.Context
	Req    llm.Request
	Steps  chan step
	closed chan struct{}
	once   sync.Once
}

// Recv implements eventStream.
func (s *fakeStream) Recv() (llm.Event, error) {
	select { // steps already queued come first
	case st, ok := <-s.Steps:
		if !ok {
			return llm.Event{}, io.EOF
		}
		return st.ev, st.err
	default:
	}
	select {
	case st, ok := <-s.Steps:
		if !ok {
			return llm.Event{}, io.EOF
		}
		return st.ev, st.err
	case <-s.ctx.Done():
		return llm.Event{}, fmt.Errorf("fake stream: %w", s.ctx.Err())
	}
}

// Close implements eventStream.
func (s *fakeStream) Close() error {
	s.once.Do(func() { close(s.closed) })
	return nil
}

// Answer sends answer deltas and a done event, then ends the stream.
func (s *fakeStream) Answer(chunks ...string) {
	for _, c := range chunks {
		s.Steps <- step{ev: llm.Event{Kind: llm.EventAnswer, Text: c}}
	}
	s.Steps <- step{ev: llm.Event{Kind: llm.EventDone, FinishReason: "stop", Usage: llm.Usage{InputTokens: 10, OutputTokens: 5, TotalTokens: 15}}}
	close(s.Steps)
}

// fakeModel is a streamer whose streams the test drives: every request
// opens a fakeStream delivered on Opened. Auto, if set, answers each
// request at once instead.
type fakeModel struct {
	Info   llm.ModelInfo
	Opened chan *fakeStream
	Auto   func(req llm.Request) []step
	Err    func(req llm.Request) error

	mu   sync.Mutex
	reqs []llm.Request
}

func newFakeModel() *fakeModel {
	return &fakeModel{
		Info:   llm.ModelInfo{Name: "fake-vl", Family: llm.FamilyQwen3VL, Thinking: llm.ThinkingHybrid, Vision: true, PatchSize: 32, DefaultMaxPixels: 2621440},
		Opened: make(chan *fakeStream, 64),
	}
}

// open implements openFunc.
func (m *fakeModel) open(ctx context.Context, req llm.Request) (eventStream, error) {
	m.mu.Lock()
	m.reqs = append(m.reqs, req)
	m.mu.Unlock()
	if m.Err != nil {
		if err := m.Err(req); err != nil {
			return nil, err
		}
	}
	s := &fakeStream{ctx: ctx, Req: req, Steps: make(chan step, 256), closed: make(chan struct{})}
	if m.Auto != nil {
		for _, st := range m.Auto(req) {
			s.Steps <- st
		}
		close(s.Steps)
		return s, nil
	}
	m.Opened <- s
	return s, nil
}

// model implements streamer.Model.
func (m *fakeModel) model(name string) llm.ModelInfo {
	info := m.Info
	if name != "" {
		info.Name = name
	}
	return info
}

// Requests returns the requests so far.
func (m *fakeModel) Requests() []llm.Request {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.reqs)
}

// Next waits for the next stream the engine opens.
func (m *fakeModel) Next(t testing.TB) *fakeStream {
	t.Helper()
	select {
	case s := <-m.Opened:
		return s
	case <-time.After(waitTimeout):
		t.Fatal("timed out waiting for a model request")
		return nil
	}
}

// llmAnswer returns an answer delta event.
func llmAnswer(text string) llm.Event { return llm.Event{Kind: llm.EventAnswer, Text: text} }

// llmReasoning returns a reasoning delta event.
func llmReasoning(text string) llm.Event { return llm.Event{Kind: llm.EventReasoning, Text: text} }

// answerSteps returns the steps of a plain answer.
func answerSteps(chunks ...string) []step {
	var out []step
	for _, c := range chunks {
		out = append(out, step{ev: llm.Event{Kind: llm.EventAnswer, Text: c}})
	}
	return append(out, step{ev: llm.Event{Kind: llm.EventDone, FinishReason: "stop", Usage: llm.Usage{InputTokens: 10, OutputTokens: 5, TotalTokens: 15}}})
}

// quietLog discards logs unless -v is given.
func quietLog() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// newTestEngine returns an engine answering with m and storing in store,
// shut down when the test ends.
func newTestEngine(t testing.TB, cfg Config, m *fakeModel, store history) *Engine {
	t.Helper()
	e := newEngine(cfg, m.open, m.model, store, quietLog())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
		defer cancel()
		if err := e.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return e
}

// turnFor returns a private-chat turn of chat with text on s.
func turnFor(chat, text string, s Surface) Turn {
	return Turn{Chat: chat, User: "u:" + chat, Sender: Sender{ID: "1", Name: "Ann"}, Text: text, Surface: s, ReplyTo: MessageRef{ID: "trigger"}}
}

// loadTurns returns the stored turns of chat.
func loadTurns(t testing.TB, store history, chat string) []memory.Turn {
	t.Helper()
	h, err := store.Load(context.Background(), chat, 100, 0)
	if err != nil {
		t.Fatalf("load %s: %v", chat, err)
	}
	return h.Turns
}

// userTexts returns the text parts of every user message of req.
func userTexts(req llm.Request) []string {
	var out []string
	for _, m := range req.Messages {
		if m.Role != llm.RoleUser {
			continue
		}
		for _, p := range m.Parts {
			if p.Image == nil {
				out = append(out, p.Text)
			}
		}
	}
	return out
}
