package memory

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestEmbedded(t *testing.T) {
	testStore(t, newEmbeddedUnderTest)
}

// newClockedEmbedded returns an Embedded store on a fake clock.
func newClockedEmbedded(t *testing.T, cfg Config) (*Embedded, *fakeClock, *logRecorder) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	cfg.Now = clock.Now
	logs := &logRecorder{}
	return NewEmbedded(cfg, slog.New(logs)), clock, logs
}

func TestEmbeddedWarnsAtConstruction(t *testing.T) {
	_, _, logs := newClockedEmbedded(t, Config{})
	w := logs.find("lost on restart")
	if len(w) != 1 {
		t.Fatalf("got warnings %q, want one saying history is lost on restart", w)
	}
	logs.mu.Lock()
	defer logs.mu.Unlock()
	if lvl := logs.records[0].Level; lvl != slog.LevelWarn {
		t.Errorf("logged at %v, want Warn", lvl)
	}
}

func TestEmbeddedExpiresByClock(t *testing.T) {
	e, clock, _ := newClockedEmbedded(t, Config{TTL: time.Hour})
	ctx := t.Context()
	img := testImage("clock")
	tt := testTurn(1, 1)
	tt.Images = []ImageRef{img.Ref}
	mustAppend(t, e, testChat, tt, img)
	if err := e.SetSettings(ctx, testChat, Settings{Model: "m"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.TryLock(ctx, testChat, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Seen(ctx, "upd", time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := e.AddUsage(ctx, "day", 7, time.Minute); err != nil {
		t.Fatal(err)
	}

	clock.Advance(59 * time.Minute) // a load now keeps the chat another hour
	if h := mustLoad(t, e, testChat, 0, 1); len(h.Turns) != 1 || len(h.Images) != 1 {
		t.Fatalf("before expiry: %d turns, %d images", len(h.Turns), len(h.Images))
	}
	if _, err := e.TryLock(ctx, testChat, time.Minute); err != nil {
		t.Errorf("lock not expired after its ttl: %v", err)
	}
	if first, _ := e.Seen(ctx, "upd", time.Minute); !first {
		t.Error("seen marker not expired after its ttl")
	}
	if n, _ := e.Usage(ctx, "day"); n != 0 {
		t.Errorf("usage counter not expired: %d", n)
	}

	clock.Advance(59 * time.Minute)
	if h := mustLoad(t, e, testChat, 0, 1); len(h.Turns) != 1 {
		t.Fatal("history expired although loaded within its ttl")
	}
	clock.Advance(time.Hour)
	if h := mustLoad(t, e, testChat, 0, 1); len(h.Turns) != 0 || len(h.Images) != 0 {
		t.Errorf("after ttl: %d turns, %d images", len(h.Turns), len(h.Images))
	}
	if st, _ := e.Settings(ctx, testChat); st.Model != "" {
		t.Errorf("settings survived their ttl: %+v", st)
	}
}

func TestEmbeddedSweepsIdleChats(t *testing.T) {
	e, clock, _ := newClockedEmbedded(t, Config{TTL: time.Hour})
	ctx := t.Context()
	for _, chat := range []string{"a", "b", "c"} {
		mustAppend(t, e, chat, testTurn(1, 1), testImage(chat))
	}
	if _, err := e.Seen(ctx, "upd", time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	mustAppend(t, e, "d", testTurn(1, 1)) // any call sweeps once a minute
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.chats) != 1 || e.chats["d"] == nil || len(e.seen) != 0 {
		t.Errorf("after sweep: %d chats, %d seen markers; want only chat d", len(e.chats), len(e.seen))
	}
}

func TestEmbeddedWarnsOnceAboutUnreadableEntries(t *testing.T) {
	e, _, logs := newClockedEmbedded(t, Config{})
	e.testPushRaw(testChat, []byte("garbage"))
	mustLoad(t, e, testChat, 0, 0)
	w := logs.find("skip unreadable")
	if len(w) != 1 || strings.Contains(w[0], "garbage") {
		t.Errorf("warnings %q, want one that does not repeat the content", w)
	}
}
