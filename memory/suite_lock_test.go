package memory

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func mustTryLock(t *testing.T, s store, chat string, ttl time.Duration) *Lock {
	t.Helper()
	l, err := s.TryLock(t.Context(), chat, ttl)
	if err != nil {
		t.Fatalf("try lock: %v", err)
	}
	return l
}

func testLocks(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	ctx := t.Context()
	a := mustTryLock(t, s, testChat, 10*time.Second)
	if got := s.ttl(testChat, "lock"); got <= 9*time.Second || got > 10*time.Second {
		t.Errorf("lock ttl %v, want about 10s", got)
	}
	if _, err := s.TryLock(ctx, testChat, time.Second); !errors.Is(err, ErrLocked) {
		t.Fatalf("second TryLock: %v, want ErrLocked", err)
	}
	mustTryLock(t, s, "another chat", time.Second)

	s.setTTL(testChat, "lock", time.Second)
	if err := a.Refresh(ctx); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if got := s.ttl(testChat, "lock"); got <= 9*time.Second {
		t.Errorf("refreshed lock ttl %v, want about 10s", got)
	}
	if err := a.Release(ctx); err != nil {
		t.Fatalf("release: %v", err)
	}
	if err := a.Release(ctx); !errors.Is(err, ErrLockLost) {
		t.Errorf("second release: %v, want ErrLockLost", err)
	}

	// a's lock expires and b takes it: a can no longer touch it.
	a = mustTryLock(t, s, testChat, 10*time.Second)
	s.setTTL(testChat, "lock", 0)
	b := mustTryLock(t, s, testChat, 10*time.Second)
	select {
	case <-a.Lost():
		t.Fatal("Lost closed before the owner noticed")
	default:
	}
	if err := a.Refresh(ctx); !errors.Is(err, ErrLockLost) {
		t.Errorf("refresh of expired lock: %v, want ErrLockLost", err)
	}
	receive(t, a.Lost())
	if err := a.Release(ctx); !errors.Is(err, ErrLockLost) {
		t.Errorf("release by non-owner: %v, want ErrLockLost", err)
	}
	if _, err := s.TryLock(ctx, testChat, time.Second); !errors.Is(err, ErrLocked) {
		t.Errorf("lock free after non-owner release: %v", err)
	}
	if err := b.Release(ctx); err != nil {
		t.Errorf("owner release: %v", err)
	}
}

func testLockWait(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	a := mustTryLock(t, s, testChat, 10*time.Second)

	short, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	if _, err := s.Lock(short, testChat, time.Second); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock on a held chat with a deadline: %v, want DeadlineExceeded", err)
	}

	started := make(chan struct{})
	got := make(chan error, 1)
	go func() {
		close(started)
		l, err := s.Lock(t.Context(), testChat, 10*time.Second)
		if err == nil {
			err = l.Release(t.Context())
		}
		got <- err
	}()
	<-started
	// While another Lock call waits out a deadline, the waiter polls: it
	// must neither return nor take the lock from a.
	probe, cancelProbe := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancelProbe()
	if _, err := s.Lock(probe, testChat, time.Second); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("probing Lock: %v, want DeadlineExceeded", err)
	}
	select {
	case err := <-got:
		t.Fatalf("Lock returned while held: %v", err)
	default:
	}
	if err := a.Refresh(t.Context()); err != nil {
		t.Fatalf("the waiter took the held lock: %v", err)
	}
	if err := a.Release(t.Context()); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("waiting Lock: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiting Lock did not get the released lock")
	}
}

func testKeepAlive(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	l := mustTryLock(t, s, testChat, 10*time.Second)
	refreshed := make(chan bool)
	l.b = notifyingBackend{lockBackend: l.b, refreshed: refreshed}
	s.setTTL(testChat, "lock", time.Second)

	stop := l.KeepAlive(t.Context(), time.Millisecond)
	if ok := receive(t, refreshed); !ok {
		t.Fatal("keep-alive refresh failed")
	}
	if got := s.ttl(testChat, "lock"); got <= 9*time.Second {
		t.Errorf("kept-alive lock ttl %v, want about 10s", got)
	}
	go drain(refreshed)
	stop()
	stop() // idempotent
	close(refreshed)
	if err := l.Release(t.Context()); err != nil {
		t.Fatalf("release after keep-alive: %v", err)
	}

	select {
	case <-l.Lost():
		t.Fatal("Lost closed for a lock kept alive and released")
	default:
	}

	// A lost lock ends the keep-alive goroutine with a warning, and tells
	// the owner.
	l = mustTryLock(t, s, testChat, 10*time.Second)
	lost := make(chan bool)
	l.b = notifyingBackend{lockBackend: l.b, refreshed: lost}
	s.setTTL(testChat, "lock", 0)
	mustTryLock(t, s, testChat, 10*time.Second) // someone else takes it
	stop = l.KeepAlive(t.Context(), time.Millisecond)
	if ok := receive(t, lost); ok {
		t.Fatal("refresh of an expired lock succeeded")
	}
	receive(t, l.Lost())
	stop()
	if w := s.logs.find("chat lock lost"); len(w) != 1 || !strings.Contains(w[0], "}:lock") && !strings.Contains(w[0], testChat) {
		t.Errorf("lost-lock warnings %q", w)
	}
}

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

func drain[T any](ch <-chan T) {
	for range ch {
	}
}

func testSeen(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{TTL: time.Hour})
	ctx := t.Context()
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"upd:1", true},
		{"upd:1", false},
		{"upd:2", true},
		{"upd:{1}", true},
	} {
		first, err := s.Seen(ctx, tc.id, time.Hour)
		if err != nil || first != tc.want {
			t.Errorf("Seen(%q) = %v, %v; want %v", tc.id, first, err, tc.want)
		}
	}
	assertFreshTTL(t, s, "", "seen:upd:1")
	s.setTTL("", "seen:upd:1", 0)
	if first, err := s.Seen(ctx, "upd:1", time.Hour); err != nil || !first {
		t.Errorf("Seen after expiry = %v, %v; want first", first, err)
	}
}

func testUsage(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{TTL: time.Hour})
	ctx := t.Context()
	add := func(name string, n int64, ttl time.Duration, want int64) {
		t.Helper()
		if got, err := s.AddUsage(ctx, name, n, ttl); err != nil || got != want {
			t.Fatalf("AddUsage(%q, %d) = %d, %v; want %d", name, n, got, err, want)
		}
	}
	add("day:u1", 10, time.Hour, 10)
	add("day:u1", 5, time.Hour, 15)
	assertFreshTTL(t, s, "", "usage:day:u1")
	s.setTTL("", "usage:day:u1", time.Minute)
	add("day:u1", 1, time.Hour, 16)
	if got := s.ttl("", "usage:day:u1"); got > time.Minute {
		t.Errorf("later add reset the expiry to %v", got)
	}
	if got, err := s.Usage(ctx, "day:u1"); err != nil || got != 16 {
		t.Errorf("Usage = %d, %v; want 16", got, err)
	}
	if got, err := s.Usage(ctx, "unknown"); err != nil || got != 0 {
		t.Errorf("Usage of unknown = %d, %v; want 0", got, err)
	}
	add("forever", 3, 0, 3)
	if got := s.ttl("", "usage:forever"); got != ttlNoExpiry {
		t.Errorf("counter without ttl has ttl %v", got)
	}
	s.setTTL("", "usage:day:u1", 0)
	add("day:u1", 2, time.Hour, 2)
	assertFreshTTL(t, s, "", "usage:day:u1")
	if err := s.Ping(ctx); err != nil {
		t.Errorf("ping: %v", err)
	}
}

func testHolderLocks(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	ctx := t.Context()
	count := func(want int) {
		t.Helper()
		if n, err := s.Lockers(ctx, testChat); err != nil || n != want {
			t.Errorf("Lockers = %d, %v; want %d", n, err, want)
		}
	}
	count(0)
	a, err := s.TryLockFor(ctx, testChat, "ann", 10*time.Second)
	if err != nil {
		t.Fatalf("lock of ann: %v", err)
	}
	if _, err := s.TryLockFor(ctx, testChat, "ann", time.Second); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock of ann: %v, want ErrLocked", err)
	}
	b, err := s.TryLockFor(ctx, testChat, "bob", 10*time.Second)
	if err != nil {
		t.Fatalf("bob's lock while ann holds hers: %v, want each holder a lock of its own", err)
	}
	c := mustTryLock(t, s, testChat, 10*time.Second) // the chat's own lock is one more holder
	count(3)
	if locked, err := s.LockedFor(ctx, testChat, "bob"); err != nil || !locked {
		t.Errorf("LockedFor(bob) = %v, %v; want true", locked, err)
	}
	if locked, err := s.LockedFor(ctx, testChat, "cid"); err != nil || locked {
		t.Errorf("LockedFor(cid) = %v, %v; want false", locked, err)
	}
	// Any of the chat's locks guards an append; a lock of another chat does not.
	if err := s.AppendIfLocked(ctx, testChat, b, Turn{User: "q", Assistant: "a"}); err != nil {
		t.Errorf("append under bob's lock: %v", err)
	}
	other, err := s.TryLockFor(ctx, "another chat", "bob", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AppendIfLocked(ctx, testChat, other, Turn{User: "q", Assistant: "a"}); err == nil || errors.Is(err, ErrLockLost) {
		t.Errorf("append under another chat's lock: %v, want a refusal", err)
	}
	for _, l := range []*Lock{a, c} {
		if err := l.Refresh(ctx); err != nil {
			t.Errorf("refresh: %v", err)
		}
		if err := l.Release(ctx); err != nil {
			t.Errorf("release: %v", err)
		}
	}
	count(1)
	if err := b.Release(ctx); err != nil {
		t.Errorf("release of bob: %v", err)
	}
	count(0)
	if err := s.AppendIfLocked(ctx, testChat, b, Turn{User: "q", Assistant: "a"}); !errors.Is(err, ErrLockLost) {
		t.Errorf("append under a released lock: %v, want ErrLockLost", err)
	}
}

func testTurnRoundTrips(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	ctx := t.Context()
	if err := s.Append(ctx, testChat, Turn{User: "first", Assistant: "one"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSettings(ctx, testChat, Settings{Model: "m"}); err != nil {
		t.Fatal(err)
	}
	l, h, err := s.LockForAndLoad(ctx, testChat, "ann", 10*time.Second, 20, 3)
	if err != nil {
		t.Fatalf("lock and load: %v", err)
	}
	if len(h.Turns) != 1 || h.Turns[0].User != "first" || h.Settings.Model != "m" {
		t.Errorf("loaded %+v, want the stored turn and settings", h)
	}
	if _, err := s.TryLockFor(ctx, testChat, "ann", time.Second); !errors.Is(err, ErrLocked) {
		t.Fatalf("ann's lock after LockForAndLoad: %v, want ErrLocked", err)
	}
	if err := s.AppendAndRelease(ctx, testChat, l, Turn{User: "second", Assistant: "two"}); err != nil {
		t.Fatalf("append and release: %v", err)
	}
	if n, err := s.Lockers(ctx, testChat); err != nil || n != 0 {
		t.Errorf("Lockers after AppendAndRelease = %d, %v; want 0", n, err)
	}
	if err := l.Refresh(ctx); err != nil {
		t.Errorf("Refresh of a released lock: %v, want nil (nothing to do)", err)
	}
	if err := l.Release(ctx); err != nil {
		t.Errorf("Release of a released lock: %v, want nil (nothing to do)", err)
	}
	h, err = s.Load(ctx, testChat, 20, 3)
	if err != nil || len(h.Turns) != 2 || h.Turns[1].User != "second" {
		t.Fatalf("history %+v, %v; want both turns", h.Turns, err)
	}

	// A lock lost before the append (another owner took it) stores nothing
	// and releases nothing.
	l, _, err = s.LockForAndLoad(ctx, testChat, "ann", 10*time.Second, 20, 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Release(ctx); err != nil { // as if it expired
		t.Fatal(err)
	}
	other := mustTryLockFor(t, s, testChat, "ann", 10*time.Second)
	if err := s.AppendAndRelease(ctx, testChat, l, Turn{User: "lost", Assistant: "x"}); !errors.Is(err, ErrLockLost) {
		t.Errorf("append under a lost lock: %v, want ErrLockLost", err)
	}
	if locked, err := s.LockedFor(ctx, testChat, "ann"); err != nil || !locked {
		t.Errorf("the new owner's lock after a refused append: %v, %v; want it held", locked, err)
	}
	if err := other.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.Load(ctx, testChat, 20, 3); len(h.Turns) != 2 {
		t.Errorf("history has %d turns, want the lost turn not stored", len(h.Turns))
	}
}

func mustTryLockFor(t *testing.T, s store, chat, holder string, ttl time.Duration) *Lock {
	t.Helper()
	l, err := s.TryLockFor(t.Context(), chat, holder, ttl)
	if err != nil {
		t.Fatalf("try lock of %s: %v", holder, err)
	}
	return l
}
