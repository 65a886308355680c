package memory

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"
)

// flakyBackend fails the refreshes whose turn is in fail, recording when
// each was asked.
type flakyBackend struct {
	fail map[int]bool
	at   chan time.Time
	n    int
}

func (f *flakyBackend) refreshLock(context.Context, string, string, time.Duration) (bool, error) {
	f.n++
	f.at <- time.Now()
	if f.fail[f.n] {
		return false, errors.New("i/o timeout")
	}
	return true, nil
}

func (f *flakyBackend) releaseLock(context.Context, string, string) (bool, error) {
	f.n++
	return true, nil
}

func TestKeepAliveRetriesAFailedRefreshSooner(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := &flakyBackend{fail: map[int]bool{1: true}, at: make(chan time.Time, 8)}
		l := newLock("k", time.Minute, b, slog.New(slog.DiscardHandler))
		start := time.Now()
		stop := l.KeepAlive(t.Context(), 30*time.Second)
		defer stop()
		want := []time.Duration{30 * time.Second, 30*time.Second + 30*time.Second/keepAliveRetries, 60*time.Second + 30*time.Second/keepAliveRetries}
		for i, w := range want {
			if got := (<-b.at).Sub(start); got != w {
				t.Fatalf("refresh %d at %v, want %v (a failed one is tried again sooner, then the pace resumes)", i+1, got, w)
			}
		}
		select {
		case <-l.Lost():
			t.Error("a refresh that failed once lost the lock")
		default:
		}
	})
}

func TestReleasedLockIsNeitherRefreshedNorReleasedAgain(t *testing.T) {
	b := &flakyBackend{at: make(chan time.Time, 1)}
	l := newLock("k", time.Minute, b, slog.New(slog.DiscardHandler))
	l.released.Store(true)
	if err := l.Refresh(t.Context()); err != nil || b.n != 0 {
		t.Errorf("Refresh of a released lock: %v after %d requests, want nil and none", err, b.n)
	}
	if err := l.Release(t.Context()); err != nil || b.n != 0 {
		t.Errorf("Release of a released lock: %v after %d requests, want nil and none", err, b.n)
	}
}
