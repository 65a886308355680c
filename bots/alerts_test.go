package bots

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/llm"
)

// fakeAlerter records the admins' messages.
type fakeAlerter struct {
	mu    sync.Mutex
	texts []string
}

func (a *fakeAlerter) AlertAdmins(_ context.Context, text string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.texts = append(a.texts, text)
	return nil
}

func (a *fakeAlerter) Texts() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.texts...)
}

var _ Alerter = (*fakeAlerter)(nil)

// TestMisconfiguredTellsTheAdminsOncePerCause: a rejected key is told to
// the admins once an hour per cause, without the user's message.
func TestMisconfiguredTellsTheAdminsOncePerCause(t *testing.T) {
	clk := botstest.NewFakeClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	m := newFakeModel()
	code := "InvalidApiKey"
	m.Err = func(llm.Request) error {
		return &llm.APIError{Status: 401, Code: code, Message: "Invalid API-key provided."}
	}
	e := newTestEngine(t, Config{Clock: clk}, m, newEmbeddedStore(t))
	al := &fakeAlerter{}
	e.AddAlerter(al)
	s := newRecSurface()
	ask := func(text string) {
		t.Helper()
		tn := turnFor("tg:1", text, s)
		tn.ReplyTo = MessageRef{ID: text}
		if err := e.Submit(context.Background(), tn); err != nil {
			t.Fatal(err)
		}
		e.Wait()
	}
	ask("my secret homework")
	ask("again")
	clk.Advance(alertEvery)
	ask("an hour later")
	code = "Arrearage"
	ask("another cause")
	got := al.Texts()
	if len(got) != 3 {
		t.Fatalf("admins told %d times (%q), want 3: once, again after an hour, and for the new cause", len(got), got)
	}
	if !strings.Contains(got[0], "InvalidApiKey") || !strings.Contains(got[2], "Arrearage") {
		t.Errorf("alerts %q, want them to name the cause", got)
	}
	for _, a := range got {
		if strings.Contains(a, "homework") {
			t.Errorf("alert %q carries the user's message", a)
		}
	}
	if texts := s.Texts(); len(texts) == 0 || !strings.Contains(texts[0], enCatalog().Misconfigured) {
		t.Errorf("user saw %q, want the misconfigured note", texts)
	}
}
