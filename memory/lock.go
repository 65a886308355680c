package memory

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// lockBackend is what a Lock needs from its store: compare-and-extend and
// compare-and-delete of the owner token.
type lockBackend interface {
	refreshLock(ctx context.Context, key, token string, ttl time.Duration) (bool, error)
	releaseLock(ctx context.Context, key, token string) (bool, error)
}

// Lock is a held chat lock, from TryLock or Lock. It expires after its TTL
// unless refreshed. Its methods are safe for concurrent use.
type Lock struct {
	key    string
	holder string // of the chat's lockers
	token  string
	ttl    time.Duration
	b      lockBackend
	log    *slog.Logger

	lost     chan struct{}
	loseOnce sync.Once
	// released is set once a store released the lock with the caller's
	// last write (AppendAndRelease): Refresh and Release then do nothing.
	released atomic.Bool
}

func newLock(key string, ttl time.Duration, b lockBackend, log *slog.Logger) *Lock {
	return &Lock{key: key, token: rand.Text(), ttl: ttl, b: b, log: log, lost: make(chan struct{})}
}

// Lost returns a channel closed once Refresh (or KeepAlive, Release or
// AppendIfLocked) finds the lock is no longer ours: it expired or someone else took it.
// The owner should then stop the work the lock guarded. It is not closed
// by a successful Release.
func (l *Lock) Lost() <-chan struct{} {
	return l.lost
}

// lose closes the Lost channel, once.
func (l *Lock) lose() {
	l.loseOnce.Do(func() { close(l.lost) })
}

// Refresh extends the lock to its full TTL from now. It returns ErrLockLost
// (and closes Lost) if the lock expired or was taken by someone else.
func (l *Lock) Refresh(ctx context.Context) error {
	if l.released.Load() {
		return nil
	}
	ok, err := l.b.refreshLock(ctx, l.key, l.token, l.ttl)
	if err != nil {
		return fmt.Errorf("refresh lock %s: %w", l.key, err)
	}
	if !ok {
		l.lose()
		return ErrLockLost
	}
	return nil
}

// Release frees the lock. It returns ErrLockLost (and closes Lost) if the
// lock had already expired or been taken by someone else (then it deletes
// nothing).
func (l *Lock) Release(ctx context.Context) error {
	if l.released.Load() {
		return nil
	}
	ok, err := l.b.releaseLock(ctx, l.key, l.token)
	if err != nil {
		return fmt.Errorf("release lock %s: %w", l.key, err)
	}
	if !ok {
		l.lose()
		return ErrLockLost
	}
	return nil
}

// KeepAlive refreshes the lock every interval (a third of its TTL if every
// <= 0), and 8 times as often after a refresh that failed, in a goroutine
// until ctx ends, stop is called or the lock is lost (logged as a warning,
// and Lost is closed). stop cancels the goroutine and
// waits for it to return; it may be called more than once.
func (l *Lock) KeepAlive(ctx context.Context, every time.Duration) (stop func()) {
	if every <= 0 {
		every = max(l.ttl/3, time.Millisecond)
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		timer := time.NewTimer(every)
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
			next := every
			err := l.Refresh(ctx)
			switch {
			case errors.Is(err, ErrLockLost):
				l.log.WarnContext(ctx, "chat lock lost", "key", l.key)
				return
			case err != nil && ctx.Err() == nil:
				l.log.WarnContext(ctx, "keep chat lock alive; retrying", "key", l.key, "err", err)
				next = max(every/keepAliveRetries, time.Millisecond)
			}
			timer.Reset(next)
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// keepAliveRetries is how many times more often KeepAlive tries again
// after a refresh that failed (Redis did not answer) than it refreshes,
// so a lock refreshed every half TTL survives a few failed attempts.
const keepAliveRetries = 8

// Lock polling backoff bounds.
const (
	lockPollMin = 5 * time.Millisecond
	lockPollMax = 250 * time.Millisecond
)

// waitLock calls try until it returns a lock or an error other than
// ErrLocked, sleeping with exponential backoff and jitter in between, and
// gives up when ctx ends.
func waitLock(ctx context.Context, try func() (*Lock, error)) (*Lock, error) {
	wait := lockPollMin
	for {
		l, err := try()
		if !errors.Is(err, ErrLocked) {
			return l, err
		}
		// Sleep between wait/2 and wait so waiters do not poll in step.
		d := wait/2 + mrand.N(wait/2+1)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("wait for chat lock: %w", ctx.Err())
		case <-t.C:
		}
		wait = min(wait*2, lockPollMax)
	}
}
