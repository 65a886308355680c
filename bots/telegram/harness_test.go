package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// fakeEngine is a hand-written engine fake with function fields.
type fakeEngine struct {
	submit   func(ctx context.Context, t bots.Turn) error
	command  func(ctx context.Context, c bots.Command) error
	notify   func(ctx context.Context, n notified)
	stopTurn func(chat, id string, by bots.Presser) (bool, error)
}

// notified is one call of Notify.
type notified struct {
	Chat, PaceKey string
	Surface       bots.Surface
	ReplyTo       bots.MessageRef
	Text          string
}

var (
	_ engine = (*fakeEngine)(nil)
	_ engine = (*bots.Engine)(nil)
)

func (e *fakeEngine) Submit(ctx context.Context, t bots.Turn) error     { return e.submit(ctx, t) }
func (e *fakeEngine) Command(ctx context.Context, c bots.Command) error { return e.command(ctx, c) }
func (e *fakeEngine) StopTurn(chat, id string, by bots.Presser) (bool, error) {
	return e.stopTurn(chat, id, by)
}
func (e *fakeEngine) Notify(ctx context.Context, chat, pace string, s bots.Surface, to bots.MessageRef, text string) {
	e.notify(ctx, notified{Chat: chat, PaceKey: pace, Surface: s, ReplyTo: to, Text: text})
}

// waitTimeout bounds every wait in these tests; it is a failure deadline,
// never a pause.
const waitTimeout = 10 * time.Second

// harness is a Bot running against a fake Bot API with a recording engine.
type harness struct {
	srv   *tgtest.Server
	bot   *Bot
	clock *botstest.FakeClock
	logs  *logBuffer
	turns chan bots.Turn
	cmds  chan bots.Command
	stops chan string // "<chat>/<id>" pressed, by StopTurn
	notes chan notified
	eng   *fakeEngine
}

// newHarness makes a Bot with cfg (APIURL and Clock filled in) without
// running it.
func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{
		srv:   tgtest.NewServer(t),
		clock: botstest.NewFakeClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)),
		logs:  newLogBuffer(),
		turns: make(chan bots.Turn, 16),
		cmds:  make(chan bots.Command, 16),
		stops: make(chan string, 16),
		notes: make(chan notified, 16),
	}
	h.eng = &fakeEngine{
		submit:  func(_ context.Context, tn bots.Turn) error { h.turns <- tn; return nil },
		command: func(_ context.Context, c bots.Command) error { h.cmds <- c; return nil },
		// notify sends at once, as the engine does in the background.
		notify: func(ctx context.Context, n notified) {
			h.notes <- n
			out := bots.Outgoing{Text: n.Text, Format: bots.FormatPlain, ReplyTo: n.ReplyTo}
			if _, err := n.Surface.Send(ctx, out); err != nil && ctx.Err() == nil {
				t.Errorf("send notice: %v", err)
			}
		},
		stopTurn: func(chat, id string, _ bots.Presser) (bool, error) { h.stops <- chat + "/" + id; return true, nil },
	}
	cfg.APIURL = h.srv.URL
	cfg.Clock = h.clock
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 5 * time.Second
	}
	b, err := New(h.srv.Token, cfg, h.eng, h.srv.Client(), nil, h.logs.logger())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.bot = b
	return h
}

// startHarness makes and runs a Bot; the test's end stops it and checks
// that Run returned nil.
func startHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := newHarness(t, cfg)
	h.run(t)
	return h
}

// run starts Run and registers its stop.
func (h *harness) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.bot.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(waitTimeout):
			t.Errorf("Run did not return after cancel")
		}
	})
}

// acked waits until the bot confirmed update id with a later getUpdates
// offset: every update up to id has been routed.
func (h *harness) acked(t *testing.T, id int) {
	t.Helper()
	h.srv.WaitCall(t, "getUpdates", func(c tgtest.Call) bool { return c.Int("offset") > int64(id) })
}

// timers waits until at least n timers are pending on clock, failing the
// test with what after waitTimeout instead of hanging until the test
// binary's deadline.
func timers(t *testing.T, clock *botstest.FakeClock, n int, what string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitTimeout)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, n); err != nil {
		t.Fatalf("timed out waiting for %s: %d of %d timers pending", what, clock.Waiters(), n)
	}
}

func (h *harness) nextTurn(t *testing.T) bots.Turn {
	t.Helper()
	select {
	case tn := <-h.turns:
		return tn
	case <-time.After(waitTimeout):
		t.Fatal("no turn submitted")
	}
	return bots.Turn{}
}

func (h *harness) nextCommand(t *testing.T) bots.Command {
	t.Helper()
	select {
	case c := <-h.cmds:
		return c
	case <-time.After(waitTimeout):
		t.Fatal("no command sent")
	}
	return bots.Command{}
}

// logBuffer collects log output for assertions, safely across goroutines.
type logBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.changed)
	l.changed = make(chan struct{})
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// waitFor waits until the log contains s.
func (l *logBuffer) waitFor(t *testing.T, s string) {
	t.Helper()
	l.waitCount(t, s, 1)
}

// waitCount waits until the log contains s at least n times.
func (l *logBuffer) waitCount(t *testing.T, s string, n int) {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		l.mu.Lock()
		has, changed := strings.Count(l.buf.String(), s) >= n, l.changed
		l.mu.Unlock()
		if has {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("log never contained %q; log:\n%s", s, l.String())
		}
	}
}

// alice and bob are the users of the tests.
func alice() tgtest.User {
	return tgtest.User{ID: 11, FirstName: "Alice", LastName: "Liddell", Username: "alice"}
}
func bob() tgtest.User { return tgtest.User{ID: 22, FirstName: "Bob"} }

const groupID = int64(-1001234)
