package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/memory"
)

// loadKeyTTL is the lifetime of a run's Redis keys should deleting them at
// the end fail.
const loadKeyTTL = time.Hour

// chatStore is what the engine needs of a history store.
type chatStore interface {
	Load(ctx context.Context, chat string, maxTurns, maxImages int) (memory.History, error)
	Append(ctx context.Context, chat string, t memory.Turn, images ...memory.Image) error
	AppendIfLocked(ctx context.Context, chat string, l *memory.Lock, t memory.Turn, images ...memory.Image) error
	Reset(ctx context.Context, chat string) error
	Settings(ctx context.Context, chat string) (memory.Settings, error)
	SetSettings(ctx context.Context, chat string, s memory.Settings) error
	Lock(ctx context.Context, chat string, ttl time.Duration) (*memory.Lock, error)
	LockFor(ctx context.Context, chat, holder string, ttl time.Duration) (*memory.Lock, error)
	LockForAndLoad(ctx context.Context, chat, holder string, ttl time.Duration, maxTurns, maxImages int) (*memory.Lock, memory.History, error)
	AppendAndRelease(ctx context.Context, chat string, l *memory.Lock, t memory.Turn, images ...memory.Image) error
	AddUsage(ctx context.Context, counter string, n int64, ttl time.Duration) (int64, error)
	Usage(ctx context.Context, counter string) (int64, error)
}

var (
	_ chatStore = (*memory.Store)(nil)
	_ chatStore = (*memory.Embedded)(nil)
)

// stores are the two bots' history stores: the main bot's, whose Redis
// commands are counted, and the image bot's, on a client of its own.
type stores struct {
	main, image chatStore
	counts      *redisCounts // nil for the embedded store
	prefix      string
	rdb, irdb   redis.UniversalClient
}

// openStores connects to Redis (loopback only) under a key prefix unique
// to the run, or makes embedded stores.
func openStores(ctx context.Context, o options, log *slog.Logger) (*stores, error) {
	cfg := memory.Config{TTL: loadKeyTTL, MaxTurns: historyTurns, MaxTokens: memory.DefaultMaxTokens}
	if o.Store == "embedded" {
		return &stores{main: memory.NewEmbedded(cfg, log), image: memory.NewEmbedded(cfg, log)}, nil
	}
	s := &stores{counts: &redisCounts{}, prefix: "qwenbot-load:" + rand.Text()[:12] + ":"}
	cfg.Prefix = s.prefix
	var err error
	if s.rdb, err = memory.ParseURL(o.RedisURL); err != nil {
		return nil, err
	}
	if s.irdb, err = memory.ParseURL(o.RedisURL); err != nil {
		return nil, errors.Join(err, s.rdb.Close())
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.rdb.Ping(pctx).Err(); err != nil {
		return nil, errors.Join(fmt.Errorf("connect to redis: %w", err), s.rdb.Close(), s.irdb.Close())
	}
	s.rdb.AddHook(s.counts)
	s.main, s.image = memory.NewStore(s.rdb, cfg, log), memory.NewStore(s.irdb, cfg, log)
	return s, nil
}

// loopbackRedis accepts single-node redis:// URLs of a loopback host and
// unix sockets.
func loopbackRedis(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("redis url does not parse")
	}
	if u.Scheme == "unix" {
		return nil
	}
	q := u.Query()
	if (u.Scheme != "redis" && u.Scheme != "rediss") || q.Has("addr") || q.Has("master_name") {
		return errors.New("the load harness needs a single-node redis:// URL")
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if a, err := netip.ParseAddr(host); err == nil && a.IsLoopback() {
		return nil
	}
	return fmt.Errorf("redis host %s is not loopback; the load harness only talks to loopback", net.JoinHostPort(host, u.Port()))
}

// close deletes the run's keys and closes the clients.
func (s *stores) close(ctx context.Context) error {
	if s.rdb == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	err := deletePrefix(ctx, s.irdb, s.prefix)
	return errors.Join(err, s.rdb.Close(), s.irdb.Close())
}

// deletePrefix unlinks every key under prefix.
func deletePrefix(ctx context.Context, rdb redis.UniversalClient, prefix string) error {
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := rdb.Unlink(ctx, batch...).Err()
		batch = batch[:0]
		return err
	}
	for iter.Next(ctx) {
		if batch = append(batch, iter.Val()); len(batch) == 500 {
			if err := flush(); err != nil {
				return fmt.Errorf("delete load keys: %w", err)
			}
		}
	}
	if err := errors.Join(iter.Err(), flush()); err != nil {
		return fmt.Errorf("delete load keys: %w", err)
	}
	return nil
}

// redisCounts is a go-redis hook counting commands and round trips.
type redisCounts struct {
	commands, roundTrips atomic.Int64
}

// DialHook implements redis.Hook.
func (c *redisCounts) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook counts one command and one round trip.
func (c *redisCounts) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		c.commands.Add(1)
		c.roundTrips.Add(1)
		return next(ctx, cmd)
	}
}

// ProcessPipelineHook counts a pipeline's commands and one round trip.
func (c *redisCounts) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		c.commands.Add(int64(len(cmds)))
		c.roundTrips.Add(1)
		return next(ctx, cmds)
	}
}
