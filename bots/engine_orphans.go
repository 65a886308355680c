package bots

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/qwenbot/qwenbot/memory"
)

// Bounds of releasing the locks whose requests Redis did not answer.
const (
	// maxOrphans is how many such locks the engine tries to release; the
	// oldest is left to its TTL beyond it.
	maxOrphans = 1024
	// orphanRetryMin and orphanRetryMax bound the backoff between tries.
	orphanRetryMin = 100 * time.Millisecond
	orphanRetryMax = time.Second
	// orphanAnswers is how many answers to a release, in a row, prove that
	// Redis applied the lock request before (or never will): a frozen
	// server may answer a release sent during the freeze before it applies
	// a lock request sent earlier on another connection.
	orphanAnswers = 2
)

// orphanLock is a lock this engine may hold without knowing it.
type orphanLock struct {
	lock     *memory.Lock
	answered int // answers to its release, in a row
}

// abandonIfUnsure hands the lock of err, an *memory.UnsureLockError, to
// abandon.
func (e *Engine) abandonIfUnsure(err error) {
	var ue *memory.UnsureLockError
	if errors.As(err, &ue) {
		e.abandon(ue.Lock)
	}
}

// abandon releases l by its token, in the background, once Redis answers
// again: a lock whose request (or whose release) Redis did not answer may
// be held in Redis by nobody, blocking its chat until its TTL.
func (e *Engine) abandon(l *memory.Lock) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.orphans) >= maxOrphans {
		e.orphans = e.orphans[1:]
	}
	e.orphans = append(e.orphans, &orphanLock{lock: l})
	if len(e.orphans) == 1 {
		e.bg.Go(e.releaseOrphans)
	}
}

// releaseOrphans tries to release the orphaned locks until each was
// released or answered orphanAnswers times in a row, backing off while
// Redis does not answer, until the engine is interrupted.
func (e *Engine) releaseOrphans() {
	wait := orphanRetryMin
	for {
		e.mu.Lock()
		todo := append([]*orphanLock(nil), e.orphans...)
		e.mu.Unlock()
		progress := false
		for _, o := range todo {
			if e.tryRelease(o) {
				progress = true
			}
		}
		e.mu.Lock()
		e.orphans = slices.DeleteFunc(e.orphans, func(o *orphanLock) bool { return o.answered >= orphanAnswers })
		left := len(e.orphans)
		e.mu.Unlock()
		if left == 0 {
			return
		}
		if progress {
			wait = orphanRetryMin
		} else {
			wait = min(2*wait, orphanRetryMax)
		}
		select {
		case <-e.base.Done():
			return
		case <-e.clock.After(wait):
		}
	}
}

// tryRelease makes one release of o and reports whether Redis answered.
func (e *Engine) tryRelease(o *orphanLock) bool {
	ctx, cancel := context.WithTimeout(e.base, orphanRetryMax)
	defer cancel()
	err := o.lock.Release(ctx)
	switch {
	case err == nil:
		o.answered = orphanAnswers
		e.log.InfoContext(ctx, "released a chat lock left by an unanswered request")
	case errors.Is(err, memory.ErrLockLost):
		o.answered++
	default:
		o.answered = 0
		return false
	}
	return true
}
