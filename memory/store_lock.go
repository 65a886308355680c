package memory

import (
	"context"
	"fmt"
	"time"
)

// TryLock takes chat's lock for ttl if it is free, and returns ErrLocked if
// another owner holds it.
func (s *Store) TryLock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error) {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err == nil {
		err = checkTTL(ttl)
	}
	if err != nil {
		return nil, fmt.Errorf("lock chat: %w", err)
	}
	l := newLock(k.lock, ttl, redisLocker{s}, s.log)
	ok, err := s.rdb.SetNX(ctx, k.lock, l.token, ttl).Result()
	if err != nil {
		return nil, fmt.Errorf("lock chat %q: %w", chat, err)
	}
	if !ok {
		return nil, ErrLocked
	}
	return l, nil
}

// Lock takes chat's lock for ttl, polling with backoff and jitter while
// another owner holds it, until ctx ends.
func (s *Store) Lock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error) {
	return waitLock(ctx, func() (*Lock, error) { return s.TryLock(ctx, chat, ttl) })
}

// redisLocker runs a Store's lock scripts for its Locks.
type redisLocker struct{ s *Store }

func (r redisLocker) refreshLock(ctx context.Context, key, token string, ttl time.Duration) (bool, error) {
	n, err := r.s.scripts.refreshLock.Run(ctx, r.s.rdb, []string{key}, token, ttl.Milliseconds()).Int()
	return n == 1, err
}

func (r redisLocker) releaseLock(ctx context.Context, key, token string) (bool, error) {
	n, err := r.s.scripts.releaseLock.Run(ctx, r.s.rdb, []string{key}, token).Int()
	return n == 1, err
}
