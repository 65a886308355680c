package memory

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Replicas that share a store are one bot to the platforms, which limit
// the bot's requests as a whole; each replica records itself as alive
// with Replicas, so all of them can split the bot's limits among the
// replicas alive.

// replicasLua records a replica as alive until now + TTL in the sorted set
// of replicas (scored by expiry), forgets the expired ones and returns how
// many are alive. The set lives as long as its longest record.
// KEYS: 1 replicas. ARGV: 1 replica id, 2 TTL ms, 3 now ms.
const replicasLua = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[2]), ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return redis.call('ZCARD', KEYS[1])
`

// replicasKey is the sorted set of the replicas sharing the store.
func (s *Store) replicasKey() string { return s.cfg.Prefix + "replicas" }

// Replicas records the replica id as alive for ttl and returns how many
// replicas are alive, id included, in one round trip.
func (s *Store) Replicas(ctx context.Context, id string, ttl time.Duration) (int, error) {
	if id == "" {
		return 0, fmt.Errorf("count replicas: %w", errEmptyKey)
	}
	if err := checkTTL(ttl); err != nil {
		return 0, fmt.Errorf("count replicas: %w", err)
	}
	n, err := s.scripts.replicas.Run(ctx, s.rdb, []string{s.replicasKey()},
		id, ttl.Milliseconds(), strconv.FormatInt(s.cfg.Now().UnixMilli(), 10)).Int()
	if err != nil {
		return 0, fmt.Errorf("count replicas: %w", err)
	}
	return n, nil
}

// LeaveReplicas forgets the replica id at once, so the others count
// without it before its record expires.
func (s *Store) LeaveReplicas(ctx context.Context, id string) error {
	if err := s.rdb.ZRem(ctx, s.replicasKey(), id).Err(); err != nil {
		return fmt.Errorf("leave replicas: %w", err)
	}
	return nil
}

// Replicas records the replica id as alive for ttl and returns how many
// replicas sharing this store (engines of one process) are alive.
func (e *Embedded) Replicas(_ context.Context, id string, ttl time.Duration) (int, error) {
	if id == "" {
		return 0, fmt.Errorf("count replicas: %w", errEmptyKey)
	}
	if err := checkTTL(ttl); err != nil {
		return 0, fmt.Errorf("count replicas: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	if e.replicas == nil {
		e.replicas = make(map[string]time.Time)
	}
	e.replicas[id] = now.Add(ttl)
	for r, exp := range e.replicas {
		if expired(exp, now) {
			delete(e.replicas, r)
		}
	}
	return len(e.replicas), nil
}

// LeaveReplicas forgets the replica id at once.
func (e *Embedded) LeaveReplicas(_ context.Context, id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.replicas, id)
	return nil
}
