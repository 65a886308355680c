package memory

import (
	"context"
	"fmt"
	"time"
)

// TryLock takes chat's lock for ttl if it is free, and returns ErrLocked if
// another owner holds it.
func (s *Store) TryLock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error) {
	return s.TryLockFor(ctx, chat, "", ttl)
}

// TryLockFor takes the lock of holder in chat for ttl if it is free, and
// returns ErrLocked if another owner holds it, or an *UnsureLockError if
// Redis did not answer. Each holder of a chat has a
// lock of its own (the empty holder's is the chat's lock), and any of them
// guards AppendIfLocked: several holders may each run work of the chat at
// once, one owner per holder.
func (s *Store) TryLockFor(ctx context.Context, chat, holder string, ttl time.Duration) (*Lock, error) {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err == nil {
		err = checkTTL(ttl)
	}
	if err != nil {
		return nil, fmt.Errorf("lock chat: %w", err)
	}
	key := k.holderLock(holder)
	l := newLock(key, ttl, redisLocker{s: s, lockers: k.lockers, holder: holder}, s.log)
	n, err := s.scripts.lock.Run(ctx, s.rdb, []string{key, k.lockers}, l.token, ttl.Milliseconds(), s.cfg.Now().UnixMilli(), holder).Int()
	if err != nil && !answered(err) {
		err = &UnsureLockError{Lock: l, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("lock chat %q: %w", chat, err)
	}
	if n != 1 {
		return nil, ErrLocked
	}
	return l, nil
}

// Lock takes chat's lock for ttl, polling with backoff and jitter while
// another owner holds it, until ctx ends.
func (s *Store) Lock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error) {
	return s.LockFor(ctx, chat, "", ttl)
}

// LockFor takes the lock of holder in chat (see TryLockFor) for ttl,
// polling with backoff and jitter while another owner holds it, until ctx
// ends.
func (s *Store) LockFor(ctx context.Context, chat, holder string, ttl time.Duration) (*Lock, error) {
	return waitLock(ctx, func() (*Lock, error) { return s.TryLockFor(ctx, chat, holder, ttl) })
}

// redisLocker runs a Store's lock scripts for one Lock of holder, listed
// in the chat's lockers.
type redisLocker struct {
	s       *Store
	lockers string
	holder  string
}

func (r redisLocker) refreshLock(ctx context.Context, key, token string, ttl time.Duration) (bool, error) {
	n, err := r.s.scripts.refreshLock.Run(ctx, r.s.rdb, []string{key, r.lockers},
		token, ttl.Milliseconds(), r.s.cfg.Now().UnixMilli(), r.holder).Int()
	return n == 1, err
}

func (r redisLocker) releaseLock(ctx context.Context, key, token string) (bool, error) {
	n, err := r.s.scripts.releaseLock.Run(ctx, r.s.rdb, []string{key, r.lockers}, token, r.holder).Int()
	return n == 1, err
}
