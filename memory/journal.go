package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"
)

// Journal records the turns a platform adapter accepted, before it
// acknowledges them, until they end: each entry has a lease that its
// process renews while the turn runs. When a process dies (killed, out of
// memory, stopped past its drain), its leases expire and any replica, or
// the restarted process, claims the entries to answer them or to end them
// visibly. It is safe for concurrent use by many goroutines and processes.
//
// An entry is handled at least once: a process that stalls longer than the
// lease (and Redis faults during a renewal) may see its entry claimed by
// another replica while it still runs the turn; the turn's id keeps its
// stored history from doubling (see Turn.ID).
type Journal struct {
	s      *Store
	lease  string // sorted set: entry id → lease expiry (ms)
	data   string // hash: entry id → JournalEntry JSON
	claims string // hash: entry id → times claimed
	ttl    time.Duration
}

// MaxJournalClaims is how many times an entry is claimed before it is
// given up (removed, and logged as an error): an update that kills every
// process handling it must not do so forever.
const MaxJournalClaims = 3

// JournalEntry is one accepted turn.
type JournalEntry struct {
	// ID names the entry uniquely within its journal (e.g. the update id).
	ID string `json:"id"`
	// Chat is the chat key of the turn, to keep each chat's order.
	Chat string `json:"c"`
	// Data is what the adapter needs to handle the turn again (its raw
	// update), opaque to the journal.
	Data []byte `json:"d"`
	// At is when the entry was recorded; Record sets it.
	At time.Time `json:"t"`
}

// Journal returns the journal called name (e.g. "tg:<bot id>"), whose
// leases last lease.
func (s *Store) Journal(name string, lease time.Duration) (*Journal, error) {
	base, err := taggedKey(s.cfg.Prefix, "journal", name)
	if err == nil {
		err = checkTTL(lease)
	}
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return &Journal{s: s, lease: base + ":lease", data: base + ":data", claims: base + ":claims", ttl: lease}, nil
}

// Record adds e, leased to the caller, in one round trip, and reports
// whether it is new: an id already recorded (a redelivery of an entry that
// another process holds, or that waits to be claimed) is left as it is.
func (j *Journal) Record(ctx context.Context, e JournalEntry) (bool, error) {
	now := j.s.cfg.Now()
	e.At = now
	raw, err := json.Marshal(e)
	if err != nil {
		return false, fmt.Errorf("record journal entry: %w", err)
	}
	var added *redis.BoolCmd
	_, err = j.s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		added = p.HSetNX(ctx, j.data, e.ID, raw)
		p.ZAddNX(ctx, j.lease, redis.Z{Score: float64(now.Add(j.ttl).UnixMilli()), Member: e.ID})
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("record journal entry %s: %w", e.ID, err)
	}
	return added.Val(), nil
}

// Renew extends the leases of the entries ids that are still recorded, in
// one round trip.
func (j *Journal) Renew(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	until := float64(j.s.cfg.Now().Add(j.ttl).UnixMilli())
	zs := make([]redis.Z, len(ids))
	for i, id := range ids {
		zs[i] = redis.Z{Score: until, Member: id}
	}
	if err := j.s.rdb.ZAddXX(ctx, j.lease, zs...).Err(); err != nil {
		return fmt.Errorf("renew journal leases: %w", err)
	}
	return nil
}

// Done removes the entries ids, whose turns ended, in one round trip.
func (j *Journal) Done(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	members := make([]any, len(ids))
	for i, id := range ids {
		members[i] = id
	}
	_, err := j.s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZRem(ctx, j.lease, members...)
		p.HDel(ctx, j.data, ids...)
		p.HDel(ctx, j.claims, ids...)
		return nil
	})
	if err != nil {
		return fmt.Errorf("end journal entries: %w", err)
	}
	return nil
}

// Claim leases to the caller up to max entries whose lease expired (their
// process died) and returns them in the order they were recorded, so each
// chat's turns keep their order. One round trip; entries that cannot be
// decoded, or were claimed MaxJournalClaims times already, are dropped and
// logged.
func (j *Journal) Claim(ctx context.Context, max int) ([]JournalEntry, error) {
	now := j.s.cfg.Now()
	res, err := j.s.scripts.claim.Run(ctx, j.s.rdb, []string{j.lease, j.data, j.claims},
		now.UnixMilli(), now.Add(j.ttl).UnixMilli(), max, MaxJournalClaims).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("claim journal entries: %w", err)
	}
	out := make([]JournalEntry, 0, len(res)/2)
	for i := 0; i+1 < len(res); i += 2 {
		if res[i+1] == "" {
			j.s.log.ErrorContext(ctx, "gave up a journaled turn claimed too often: its process died every time", "id", res[i], "claims", MaxJournalClaims)
			continue
		}
		var e JournalEntry
		if err := json.Unmarshal([]byte(res[i+1]), &e); err != nil {
			j.s.log.WarnContext(ctx, "dropped an unreadable journal entry", "id", res[i], "err", err)
			continue
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b JournalEntry) int { return a.At.Compare(b.At) })
	return out, nil
}

// claimLua leases the expired entries to the caller and returns them;
// an entry claimed max claims times already is removed instead.
// KEYS: 1 leases, 2 data, 3 claims. ARGV: 1 now ms, 2 new lease expiry
// ms, 3 max entries, 4 max claims.
// Returns id, JSON pairs (JSON "" for an entry given up); a lease without
// data is removed.
const claimLua = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local d = redis.call('HGET', KEYS[2], id)
  if d and redis.call('HINCRBY', KEYS[3], id, 1) > tonumber(ARGV[4]) then
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    out[#out + 1] = id
    out[#out + 1] = ''
  elseif d then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
    out[#out + 1] = id
    out[#out + 1] = d
  else
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[3], id)
  end
end
return out
`
