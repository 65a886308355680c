package memory

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// Store keeps chat history, settings, locks and counters in Redis. It is
// safe for concurrent use by many goroutines and many processes sharing one
// Redis; it does not own the client (the caller closes it).
type Store struct {
	rdb     redis.UniversalClient
	cfg     Config
	log     *slog.Logger
	scripts scripts
}

// NewStore returns a Store on rdb. A nil log means slog.Default().
func NewStore(rdb redis.UniversalClient, cfg Config, log *slog.Logger) *Store {
	if log == nil {
		log = slog.Default()
	}
	return &Store{
		rdb:     rdb,
		cfg:     cfg.withDefaults(),
		log:     log,
		scripts: newScripts(),
	}
}

// Ping checks that Redis answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping redis: %w", err)
	}
	return nil
}

// Load returns chat's settings, the newest maxTurns turns of chat (all
// stored turns if maxTurns <= 0) and the bytes of the images behind the
// newest maxImages image refs, and refreshes the TTLs of what it read, in
// one round trip.
// Unreadable entries are skipped and logged. A chat with no history gives
// an empty History and no error.
func (s *Store) Load(ctx context.Context, chat string, maxTurns, maxImages int) (History, error) {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err != nil {
		return History{}, fmt.Errorf("load history: %w", err)
	}
	res, err := s.scripts.load.Run(ctx, s.rdb,
		[]string{k.history, k.settings, k.index, k.images},
		maxTurns, max(maxImages, 0), s.cfg.TTL.Milliseconds(), s.cfg.Now().UnixMilli(),
	).Slice()
	if err != nil {
		return History{}, fmt.Errorf("load history of %q: %w", chat, err)
	}
	h, err := s.parseLoad(k.history, res)
	if err != nil {
		return History{}, fmt.Errorf("load history of %q: %w", chat, err)
	}
	return h, nil
}

// parseLoad turns the load script's reply into a History.
func (s *Store) parseLoad(key string, res []any) (History, error) {
	if len(res) != 3 {
		return History{}, fmt.Errorf("unexpected reply of %d elements", len(res))
	}
	items, ok1 := res[0].([]any)
	pairs, ok2 := res[1].([]any)
	fields, ok3 := res[2].([]any)
	if !ok1 || !ok2 || !ok3 || len(pairs)%2 != 0 || len(fields)%2 != 0 {
		return History{}, fmt.Errorf("unexpected reply shape")
	}
	raws := make([][]byte, 0, len(items))
	for _, it := range items {
		str, _ := it.(string)
		raws = append(raws, []byte(str))
	}
	h := History{Turns: decodeTurns(s.log, key, raws), Settings: settingsReply(fields)}
	if len(pairs) > 0 {
		h.Images = make(map[string][]byte, len(pairs)/2)
	}
	for i := 0; i < len(pairs); i += 2 {
		hash, ok1 := pairs[i].(string)
		data, ok2 := pairs[i+1].(string)
		if ok1 && ok2 {
			h.Images[hash] = []byte(data)
		}
	}
	return h, nil
}

// Append stores t (and the bytes of its new images, once per content hash)
// at the end of chat's history, trims the history to Config.MaxTurns and
// Config.MaxTokens, drops the images that only trimmed turns referenced,
// and refreshes TTLs, in one round trip. Refs in t.Images without bytes in
// images only refresh an image already stored. t.At is set to now when
// zero.
func (s *Store) Append(ctx context.Context, chat string, t Turn, images ...Image) error {
	return s.appendTurn(ctx, chat, nil, t, images)
}

// AppendIfLocked is Append done only while l, a lock of chat from this
// store, still holds chat's lock: the check and the append are one atomic
// script, in one round trip, so a replica that lost the chat never stores
// its turn. It returns ErrLockLost (and closes l.Lost) and stores nothing
// if the lock expired or belongs to someone else. It does not extend l.
func (s *Store) AppendIfLocked(ctx context.Context, chat string, l *Lock, t Turn, images ...Image) error {
	return s.appendTurn(ctx, chat, l, t, images)
}

// appendTurn runs the append script, checking l first when it is not nil.
func (s *Store) appendTurn(ctx context.Context, chat string, l *Lock, t Turn, images []Image) error {
	return s.appendTurnWith(ctx, chat, l, false, t, images)
}

// appendTurnWith is appendTurn, releasing l once the turn is stored when
// release is set.
func (s *Store) appendTurnWith(ctx context.Context, chat string, l *Lock, release bool, t Turn, images []Image) error {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err == nil && l != nil && !k.ownsLock(l.key) {
		err = fmt.Errorf("lock %s is not the lock of chat %q", l.key, chat)
	}
	if err != nil {
		return fmt.Errorf("append history: %w", err)
	}
	now := s.cfg.Now()
	raw, err := encodeTurn(t, now)
	if err != nil {
		return fmt.Errorf("append history of %q: %w", chat, err)
	}
	ups, err := imageUploads(t.Images, images)
	if err != nil {
		return fmt.Errorf("append history of %q: %w", chat, err)
	}
	keys := []string{k.history, k.settings, k.index, k.images}
	token := ""
	if l != nil {
		keys, token = append(keys, l.key), l.token
	}
	args := make([]any, 0, 6+2*len(ups))
	args = append(args, raw, s.cfg.MaxTurns, s.cfg.MaxTokens, s.cfg.TTL.Milliseconds(), now.UnixMilli(), token)
	for _, u := range ups {
		args = append(args, u.hash, u.data)
	}
	script := s.scripts.append
	if release {
		keys, args, script = append(keys, k.lockers), append(args, l.holder), s.scripts.appendRelease
	}
	n, err := script.Run(ctx, s.rdb, keys, args...).Int()
	if err != nil {
		return fmt.Errorf("append history of %q: %w", chat, err)
	}
	if n < 0 {
		l.lose()
		return ErrLockLost
	}
	return nil
}

// Reset deletes chat's history and images (not its settings or lock), in
// one round trip. It works even if the chat's keys hold the wrong type.
func (s *Store) Reset(ctx context.Context, chat string) error {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err != nil {
		return fmt.Errorf("reset history: %w", err)
	}
	if err := s.scripts.reset.Run(ctx, s.rdb, []string{k.history, k.index, k.images}).Err(); err != nil {
		return fmt.Errorf("reset history of %q: %w", chat, err)
	}
	return nil
}

// ttlArg validates a caller-given TTL: Redis needs at least a millisecond.
func checkTTL(ttl time.Duration) error {
	if ttl < time.Millisecond {
		return fmt.Errorf("ttl %v is under 1ms", ttl)
	}
	return nil
}
