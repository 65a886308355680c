package memory

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// LockForAndLoad takes the lock of holder in chat (see TryLockFor) for
// ttl and loads the chat's history and settings (see Load) in one round
// trip, polling with backoff and jitter while another owner holds the
// lock, until ctx ends. It returns an *UnsureLockError, as TryLockFor
// does, when Redis did not answer.
func (s *Store) LockForAndLoad(ctx context.Context, chat, holder string, ttl time.Duration, maxTurns, maxImages int) (*Lock, History, error) {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err == nil {
		err = checkTTL(ttl)
	}
	if err != nil {
		return nil, History{}, fmt.Errorf("lock and load chat: %w", err)
	}
	var h History
	l, err := waitLock(ctx, func() (*Lock, error) {
		l := s.newHolderLock(k, holder, ttl)
		res, err := s.scripts.lockLoad.Run(ctx, s.rdb,
			[]string{k.history, k.settings, k.index, k.images, l.key, k.lockers},
			maxTurns, max(maxImages, 0), s.cfg.TTL.Milliseconds(), s.cfg.Now().UnixMilli(),
			l.token, ttl.Milliseconds(), holder,
		).Result()
		if err != nil && !answered(err) {
			err = &UnsureLockError{Lock: l, Err: err}
		}
		if err != nil {
			return nil, fmt.Errorf("lock and load chat %q: %w", chat, err)
		}
		if n, ok := res.(int64); ok && n == 0 {
			return nil, ErrLocked
		}
		reply, _ := res.([]any)
		if h, err = s.parseLoad(k.history, reply); err != nil {
			return nil, errors.Join(fmt.Errorf("load history of %q: %w", chat, err), l.Release(ctx))
		}
		return l, nil
	})
	if err != nil {
		return nil, History{}, err
	}
	return l, h, nil
}

// AppendAndRelease is AppendIfLocked, then, once the turn is stored,
// releases l in the same round trip: l's Refresh and Release do nothing
// after. If the lock was lost it returns ErrLockLost and stores nothing;
// on any other error l is still held.
func (s *Store) AppendAndRelease(ctx context.Context, chat string, l *Lock, t Turn, images ...Image) error {
	if l == nil {
		return fmt.Errorf("append history of %q: no lock to release", chat)
	}
	if err := s.appendTurnWith(ctx, chat, l, true, t, images); err != nil {
		return err
	}
	l.released.Store(true)
	return nil
}
