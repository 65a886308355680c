package memory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Settings returns chat's settings (zero Settings if none) and refreshes
// their TTL, in one round trip.
func (s *Store) Settings(ctx context.Context, chat string) (Settings, error) {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err != nil {
		return Settings{}, fmt.Errorf("load settings: %w", err)
	}
	var get *redis.MapStringStringCmd
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		get = p.HGetAll(ctx, k.settings)
		p.PExpire(ctx, k.settings, s.cfg.TTL)
		return nil
	})
	if err != nil {
		return Settings{}, fmt.Errorf("load settings of %q: %w", chat, err)
	}
	return parseSettings(get.Val()), nil
}

// SetSettings replaces all of chat's settings with st; zero fields are
// removed. It is atomic and takes one round trip.
func (s *Store) SetSettings(ctx context.Context, chat string, st Settings) error {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	fields := settingsFields(st)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, k.settings)
		if len(fields) > 0 {
			p.HSet(ctx, k.settings, fields...)
			p.PExpire(ctx, k.settings, s.cfg.TTL)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save settings of %q: %w", chat, err)
	}
	return nil
}

// Seen records id for ttl and reports whether this is its first sighting
// within that time (e.g. to drop a redelivered webhook update).
func (s *Store) Seen(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	key, err := taggedKey(s.cfg.Prefix, "seen", id)
	if err == nil {
		err = checkTTL(ttl)
	}
	if err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	first, err := s.rdb.SetNX(ctx, key, 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("mark %q seen: %w", id, err)
	}
	return first, nil
}

// AddUsage adds n to counter and returns the new total, in one round trip
// (one script, so it works on Redis 6).
// The first add after the counter was created sets its expiry to ttl (a
// ttl <= 0 means no expiry); later adds keep that expiry, so a daily
// counter resets a day after its first use.
func (s *Store) AddUsage(ctx context.Context, counter string, n int64, ttl time.Duration) (int64, error) {
	key, err := taggedKey(s.cfg.Prefix, "usage", counter)
	if err == nil && ttl > 0 {
		err = checkTTL(ttl)
	}
	if err != nil {
		return 0, fmt.Errorf("add usage: %w", err)
	}
	total, err := s.scripts.addUsage.Run(ctx, s.rdb, []string{key}, n, max(ttl.Milliseconds(), 0)).Int64()
	if err != nil {
		return 0, fmt.Errorf("add usage to %q: %w", counter, err)
	}
	return total, nil
}

// Usage returns counter's total, zero if it does not exist.
func (s *Store) Usage(ctx context.Context, counter string) (int64, error) {
	key, err := taggedKey(s.cfg.Prefix, "usage", counter)
	if err != nil {
		return 0, fmt.Errorf("read usage: %w", err)
	}
	n, err := s.rdb.Get(ctx, key).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read usage of %q: %w", counter, err)
	}
	return n, nil
}
