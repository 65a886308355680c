package bots

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/llm"
)

// inflight counts a fakeModel's open streams and remembers the most at
// once.
type inflight struct {
	mu       sync.Mutex
	now, max int
}

// track wraps m.open to count open streams.
func (c *inflight) track(m *fakeModel) openFunc {
	return func(ctx context.Context, req llm.Request) (eventStream, error) {
		s, err := m.open(ctx, req)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		c.now++
		c.max = max(c.max, c.now)
		c.mu.Unlock()
		return closeHook{eventStream: s, onClose: func() {
			c.mu.Lock()
			c.now--
			c.mu.Unlock()
		}}, nil
	}
}

// closeHook runs onClose once the stream is closed.
type closeHook struct {
	eventStream
	onClose func()
}

// Close implements eventStream.
func (h closeHook) Close() error {
	h.onClose()
	return h.eventStream.Close()
}

func TestQueueRunsTurnsOfAChatInOrderOneAtATime(t *testing.T) {
	m := newFakeModel()
	var counter inflight
	store := newEmbeddedStore(t)
	e := newEngine(Config{}, counter.track(m), m.model, store, quietLog())
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	s := newRecSurface()
	for _, q := range []string{"one", "two", "three"} {
		if err := e.Submit(context.Background(), turnFor("tg:1", q, s)); err != nil {
			t.Fatalf("submit %s: %v", q, err)
		}
	}
	for i, q := range []string{"one", "two", "three"} {
		st := m.Next(t)
		got := userTexts(st.Req)
		if want := q; got[len(got)-1] != want {
			t.Fatalf("request %d asks %q, want %q", i+1, got[len(got)-1], want)
		}
		if len(got) != i+1 {
			t.Fatalf("request %d carries %d user messages %q, want the %d earlier turns too", i+1, len(got), got, i)
		}
		st.Answer("answer " + q)
		s.WaitText(t, "answer "+q)
	}
	e.Wait()
	if counter.max != 1 {
		t.Errorf("at most %d streams were open at once, want 1", counter.max)
	}
	want := []string{"answer one", "answer two", "answer three"}
	if got := s.Texts(); !slices.Equal(got, want) {
		t.Errorf("messages %q, want %q", got, want)
	}
	turns := loadTurns(t, store, "tg:1")
	if len(turns) != 3 || turns[0].User != "one" || turns[2].Assistant != "answer three" {
		t.Errorf("stored turns %+v", turns)
	}
}

func TestQueueRunsChatsConcurrently(t *testing.T) {
	m := newFakeModel()
	e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
	a, b := newRecSurface(), newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:a", "slow", a)); err != nil {
		t.Fatal(err)
	}
	sa := m.Next(t)
	if err := e.Submit(context.Background(), turnFor("tg:b", "fast", b)); err != nil {
		t.Fatal(err)
	}
	sb := m.Next(t) // opened while a's stream is still open
	sb.Answer("fast answer")
	b.WaitText(t, "fast answer")
	if texts := a.Texts(); slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, "answer") }) {
		t.Fatalf("chat a shows %q before its answer", texts)
	}
	sa.Answer("slow answer")
	a.WaitText(t, "slow answer")
	e.Wait()
}

func TestQueueFullAnswersBusy(t *testing.T) {
	m := newFakeModel()
	e := newTestEngine(t, Config{QueueSize: 1}, m, newEmbeddedStore(t))
	s := newRecSurface()
	for _, q := range []string{"running", "queued"} {
		if err := e.Submit(context.Background(), turnFor("tg:1", q, s)); err != nil {
			t.Fatal(err)
		}
	}
	first := m.Next(t)
	over := turnFor("tg:1", "one too many", s)
	over.ReplyTo = MessageRef{ID: "over"}
	if err := e.Submit(context.Background(), over); err != nil {
		t.Fatalf("submit to a full queue: %v, want nil (the user is told)", err)
	}
	s.WaitText(t, enCatalog().Busy)
	for _, msg := range s.Messages() {
		if msg.Out.Text == enCatalog().Busy && msg.Out.ReplyTo != over.ReplyTo {
			t.Errorf("busy reply replies to %v, want %v", msg.Out.ReplyTo, over.ReplyTo)
		}
	}
	first.Answer("first")
	m.Next(t).Answer("second")
	s.WaitText(t, "second")
	e.Wait()
	if n := len(m.Requests()); n != 2 {
		t.Errorf("%d model requests, want 2 (the third turn was turned away)", n)
	}
}

func TestStopKeepsWhatWasShownAndStoresStoppedTurn(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			m := newFakeModel()
			store := k.make(t)
			e := newTestEngine(t, Config{}, m, store)
			s := newRecSurface()
			if e.Stop("tg:1") {
				t.Error("Stop of an idle chat reported true")
			}
			if err := e.Submit(context.Background(), turnFor("tg:1", "long question", s)); err != nil {
				t.Fatal(err)
			}
			st := m.Next(t)
			st.Steps <- step{ev: llmAnswer("partial answer")}
			s.WaitText(t, "partial answer")
			if !e.Stop("tg:1") {
				t.Fatal("Stop of a running turn reported false")
			}
			if e.Stop("tg:1") {
				t.Error("second Stop reported true")
			}
			s.WaitText(t, "⏹ stopped")
			e.Wait()
			msgs := s.Messages()
			last := msgs[len(msgs)-1]
			if !strings.Contains(last.Out.Text, "partial answer") || last.Out.StopButton {
				t.Errorf("final message %+v, want the partial answer without a stop button", last.Out)
			}
			turns := loadTurns(t, store, "tg:1")
			if len(turns) != 1 || !turns[0].Stopped || turns[0].Assistant != "partial answer" || turns[0].User != "long question" {
				t.Errorf("stored %+v, want one stopped turn with the partial answer", turns)
			}
		})
	}
}

func TestShutdownInterruptsRunningTurnsVisibly(t *testing.T) {
	m := newFakeModel()
	store := newEmbeddedStore(t)
	e := newTestEngine(t, Config{}, m, store)
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "question", s)); err != nil {
		t.Fatal(err)
	}
	queued := turnFor("tg:1", "later", s)
	queued.ReplyTo = MessageRef{ID: "later"}
	if err := e.Submit(context.Background(), queued); err != nil {
		t.Fatal(err)
	}
	st := m.Next(t)
	st.Steps <- step{ev: llmAnswer("half an answer")}
	s.WaitText(t, "half an answer")

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // no grace: interrupt at once
	err := e.Shutdown(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v, want it to report the interrupted turns", err)
	}
	texts := s.WaitText(t, "⚠️ interrupted: the bot is restarting")
	if !strings.Contains(texts[0], "half an answer") {
		t.Errorf("interrupted reply %q lost what was shown", texts[0])
	}
	s.WaitText(t, enCatalog().Restarting)
	if n := len(m.Requests()); n != 1 {
		t.Errorf("%d model requests, want 1 (the queued turn never runs)", n)
	}
	turns := loadTurns(t, store, "tg:1")
	if len(turns) != 1 || !turns[0].Stopped || turns[0].Assistant != "half an answer" {
		t.Errorf("stored %+v, want the interrupted turn as shown", turns)
	}
	if err := e.Submit(context.Background(), turnFor("tg:1", "after", s)); !errors.Is(err, ErrShuttingDown) {
		t.Errorf("Submit after Shutdown = %v, want ErrShuttingDown", err)
	}
}

func TestShutdownLetsRunningTurnsFinish(t *testing.T) {
	m := newFakeModel()
	e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "question", s)); err != nil {
		t.Fatal(err)
	}
	st := m.Next(t)
	done := make(chan error, 1)
	go func() { done <- e.Shutdown(context.Background()) }()
	st.Answer("complete answer")
	if err := <-done; err != nil {
		t.Errorf("Shutdown = %v, want nil after the turn finished", err)
	}
	texts := s.Texts()
	if len(texts) != 1 || texts[0] != "complete answer" {
		t.Errorf("messages %q, want the complete answer only", texts)
	}
}

func TestReplicasNeverRunOneChatAtOnce(t *testing.T) {
	store := newRedisStore(t)
	ma, mb := newFakeModel(), newFakeModel()
	a := newTestEngine(t, Config{}, ma, store)
	b := newTestEngine(t, Config{}, mb, store)
	sa, sb := newRecSurface(), newRecSurface()
	if err := a.Submit(context.Background(), turnFor("tg:1", "to replica a", sa)); err != nil {
		t.Fatal(err)
	}
	first := ma.Next(t) // a holds the chat's lock now
	if err := b.Submit(context.Background(), turnFor("tg:1", "to replica b", sb)); err != nil {
		t.Fatal(err)
	}
	first.Answer("answer from a")
	second := mb.Next(t)
	if got := userTexts(second.Req); !slices.Equal(got, []string{"to replica a", "to replica b"}) {
		t.Errorf("replica b asked %q, want it to run after a's turn was stored", got)
	}
	second.Answer("answer from b")
	b.Wait()
	a.Wait()
}

func TestTurnTimeoutEndsTheReplyVisibly(t *testing.T) {
	m := newFakeModel()
	store := newEmbeddedStore(t)
	e := newTestEngine(t, Config{TurnTimeout: 300 * time.Millisecond}, m, store)
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "q", s)); err != nil {
		t.Fatal(err)
	}
	st := m.Next(t)
	st.Steps <- step{ev: llmAnswer("so far")}
	texts := s.WaitText(t, "⚠️ interrupted: the answer took too long")
	e.Wait()
	if !strings.Contains(texts[0], "so far") {
		t.Errorf("reply %q lost what was shown", texts[0])
	}
	if turns := loadTurns(t, store, "tg:1"); len(turns) != 1 || !turns[0].Stopped {
		t.Errorf("stored %+v, want the cut-short turn", turns)
	}
}

func TestShutdownTellsQueuedTurnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
		s := newRecSurface()
		restarting := enCatalog().Restarting
		s.SendErr = func(ctx context.Context, m Outgoing) error {
			if m.Text == restarting { // the platform hangs
				<-ctx.Done()
				return ctx.Err()
			}
			return nil
		}
		for _, q := range []string{"running", "queued 1", "queued 2", "queued 3"} {
			if err := e.Submit(t.Context(), turnFor("tg:1", q, s)); err != nil {
				t.Fatal(err)
			}
		}
		m.Next(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		start := time.Now()
		if err := e.Shutdown(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Shutdown = %v, want it to report the interrupted turn", err)
		}
		if took := time.Since(start); took > restartNoticeTimeout+finishTimeout/2 {
			t.Errorf("Shutdown took %v telling 3 queued turns to come back, want about %v at most", took, restartNoticeTimeout)
		}
	})
}
