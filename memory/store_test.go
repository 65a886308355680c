package memory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestStore(t *testing.T) {
	testStore(t, newRedisUnderTest)
}

// newCountingStore returns a Redis store whose client counts round trips.
func newCountingStore(t testing.TB, cfg Config) (*Store, *roundTrips, redis.UniversalClient) {
	t.Helper()
	rdb := redisForTest(t)
	rt := &roundTrips{}
	rdb.AddHook(rt)
	cfg.Prefix = testPrefix(t, rdb)
	return NewStore(rdb, cfg, slog.New(slog.DiscardHandler)), rt, rdb
}

func TestStoreRoundTrips(t *testing.T) {
	s, rt, _ := newCountingStore(t, Config{})
	ctx := t.Context()
	img := testImage("rt")
	tt := testTurn(1, 1)
	tt.Images = []ImageRef{img.Ref}
	warmUp(t, s, tt, img)
	set := Settings{Model: "qwen3-vl-flash", Lang: "en"}
	if err := s.SetSettings(ctx, testChat, set); err != nil {
		t.Fatal(err)
	}
	loadWithSettings := func() error {
		h, err := s.Load(ctx, testChat, 20, 3)
		if err == nil && !settingsEqual(h.Settings, set) {
			err = fmt.Errorf("load gave settings %+v, want %+v", h.Settings, set)
		}
		return err
	}
	for _, tc := range []struct {
		name string
		call func() error
		want int64
	}{
		{"turn: load with settings and append", func() error {
			if err := loadWithSettings(); err != nil {
				return err
			}
			return s.Append(ctx, testChat, tt, img)
		}, 2},
		{"locked turn: lock, load with settings, append if locked, unlock", func() error {
			l, err := s.TryLock(ctx, testChat, time.Second)
			if err != nil {
				return err
			}
			return errors.Join(loadWithSettings(), s.AppendIfLocked(ctx, testChat, l, tt, img), l.Release(ctx))
		}, 4},
		{"settings", func() error { _, err := s.Settings(ctx, testChat); return err }, 1},
		{"set settings", func() error { return s.SetSettings(ctx, testChat, Settings{Model: "m"}) }, 1},
		{"reset", func() error { return s.Reset(ctx, testChat) }, 1},
		{"seen", func() error { _, err := s.Seen(ctx, "u", time.Minute); return err }, 1},
		{"add usage", func() error { _, err := s.AddUsage(ctx, "c", 1, time.Hour); return err }, 1},
		{"lock cycle", func() error {
			l, err := s.TryLock(ctx, testChat, time.Second)
			if err == nil {
				err = errors.Join(l.Refresh(ctx), l.Release(ctx))
			}
			return err
		}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := rt.n.Load()
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
			if got := rt.n.Load() - before; got != tc.want {
				t.Errorf("%d round trips, want %d", got, tc.want)
			}
		})
	}
}

// warmUp runs every script and pipeline once: the first run of a script may
// load it (EVALSHA, then EVAL), and go-redis dials pipeline connections on
// first use.
func warmUp(t *testing.T, s *Store, tt Turn, img Image) {
	t.Helper()
	ctx := t.Context()
	err := errors.Join(
		func() error { _, err := s.Settings(ctx, "warm"); return err }(),
		s.SetSettings(ctx, "warm", Settings{}),
		func() error { _, err := s.Load(ctx, testChat, 20, 3); return err }(),
		s.Append(ctx, testChat, tt, img),
		s.Reset(ctx, "warm"),
		func() error { _, err := s.AddUsage(ctx, "warm", 1, time.Hour); return err }(),
	)
	if err == nil {
		var l *Lock
		if l, err = s.TryLock(ctx, testChat, time.Second); err == nil {
			err = errors.Join(l.Refresh(ctx), l.Release(ctx))
		}
	}
	if err != nil {
		t.Fatalf("warm up: %v", err)
	}
}

func TestStoreWrongKeyType(t *testing.T) {
	s, _, rdb := newCountingStore(t, Config{})
	ctx := t.Context()
	k, _ := newChatKeys(s.cfg.Prefix, testChat)
	for _, key := range []string{k.history, k.settings, k.index} {
		if err := rdb.Set(ctx, key, "not a list", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"load", func() error { _, err := s.Load(ctx, testChat, 0, 1); return err }},
		{"append", func() error { return s.Append(ctx, testChat, testTurn(1, 1)) }},
		{"settings", func() error { _, err := s.Settings(ctx, testChat); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || !strings.Contains(err.Error(), "WRONGTYPE") || !strings.Contains(err.Error(), testChat) {
				t.Fatalf("error %v, want a WRONGTYPE error naming the chat", err)
			}
		})
	}
	// /reset and saving settings repair the chat.
	if err := s.Reset(ctx, testChat); err != nil {
		t.Fatalf("reset of a wrong-typed chat: %v", err)
	}
	if err := s.SetSettings(ctx, testChat, Settings{Lang: "en"}); err != nil {
		t.Fatalf("set settings over a wrong-typed key: %v", err)
	}
	img := testImage("after")
	tt := testTurn(1, 1)
	tt.Images = []ImageRef{img.Ref}
	mustAppend(t, s, testChat, tt, img)
	if h := mustLoad(t, s, testChat, 0, 1); len(h.Turns) != 1 || len(h.Images) != 1 {
		t.Errorf("after reset: %d turns, %d images", len(h.Turns), len(h.Images))
	}
}

// redis6 is a go-redis hook that answers like Redis 6 to the options
// Redis 7 added to EXPIRE and PEXPIRE (NX, XX, GT, LT): with an error,
// while the other commands of a pipeline still run.
type redis6 struct{}

func (redis6) DialHook(next redis.DialHook) redis.DialHook { return next }

func (redis6) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if redis7Only(cmd) {
			return cmd.Err()
		}
		return next(ctx, cmd)
	}
}

func (redis6) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		var run []redis.Cmder
		var firstErr error
		for _, cmd := range cmds {
			if redis7Only(cmd) {
				firstErr = cmp.Or(firstErr, cmd.Err())
				continue
			}
			run = append(run, cmd)
		}
		return cmp.Or(next(ctx, run), firstErr)
	}
}

// redis7Only fails cmd, and reports so, if Redis 6 would reject it.
func redis7Only(cmd redis.Cmder) bool {
	name := strings.ToLower(cmd.Name())
	if (name == "expire" || name == "pexpire") && len(cmd.Args()) > 3 {
		cmd.SetErr(fmt.Errorf("ERR wrong number of arguments for '%s' command", name))
		return true
	}
	return false
}

func TestStoreAddUsageOnRedis6(t *testing.T) {
	rdb := redisForTest(t)
	rdb.AddHook(redis6{})
	s := NewStore(rdb, Config{Prefix: testPrefix(t, rdb)}, slog.New(slog.DiscardHandler))
	ctx := t.Context()
	for want := int64(1); want <= 2; want++ {
		got, err := s.AddUsage(ctx, "day:u1", 1, time.Hour)
		if err != nil || got != want {
			t.Fatalf("AddUsage = %d, %v; want %d", got, err, want)
		}
	}
	key, _ := taggedKey(s.cfg.Prefix, "usage", "day:u1")
	if ttl := rdb.PTTL(ctx, key).Val(); ttl <= 0 || ttl > time.Hour {
		t.Errorf("counter ttl %v, want about an hour", ttl)
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestStoreUnavailable(t *testing.T) {
	rdb, err := ParseURL("redis://" + closedPort(t))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	s := NewStore(rdb, Config{}, slog.New(slog.DiscardHandler))
	ctx := t.Context()
	for _, tc := range []struct {
		name, want string
		call       func() error
	}{
		{"ping", "ping redis", func() error { return s.Ping(ctx) }},
		{"load", "load history", func() error { _, err := s.Load(ctx, testChat, 1, 1); return err }},
		{"append", "append history", func() error { return s.Append(ctx, testChat, testTurn(1, 1)) }},
		{"settings", "load settings", func() error { _, err := s.Settings(ctx, testChat); return err }},
		{"lock", "lock chat", func() error { _, err := s.Lock(ctx, testChat, time.Second); return err }},
		{"usage", "add usage", func() error { _, err := s.AddUsage(ctx, "c", 1, time.Hour); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			err := tc.call()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v to fail", d)
			}
		})
	}
}

func TestStoreUnavailableHonoursContext(t *testing.T) {
	// A listener that accepts but never answers: only the deadline ends the call.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var conns []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range conns {
					_ = c.Close()
				}
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
	})
	rdb, err := ParseURL(fmt.Sprintf("redis://%s?max_retries=-1", ln.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	s := NewStore(rdb, Config{}, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := s.Load(ctx, testChat, 1, 1); err == nil {
		t.Fatal("load from a silent server succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v despite a 200ms deadline", d)
	}
}

func BenchmarkLoadAppend20(b *testing.B) {
	s, rt, _ := newCountingStore(b, Config{MaxTurns: 20})
	ctx := b.Context()
	img := NewImage("image/jpeg", make([]byte, 64<<10), 512, 512)
	for i := range 20 {
		tt := testTurn(1, i)
		tt.Assistant = strings.Repeat("answer text ", 100)
		if i%5 == 0 {
			tt.Images = []ImageRef{img.Ref}
		}
		mustAppendB(b, s, tt, img)
	}
	tt := testTurn(2, 99)
	tt.Assistant = strings.Repeat("answer text ", 100)
	b.ReportAllocs()
	b.ResetTimer()
	start := rt.n.Load()
	for b.Loop() {
		if _, err := s.Load(ctx, testChat, 20, 3); err != nil {
			b.Fatal(err)
		}
		if err := s.Append(ctx, testChat, tt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rt.n.Load()-start)/float64(b.N), "roundtrips/op")
}

func mustAppendB(b *testing.B, s *Store, tt Turn, images ...Image) {
	b.Helper()
	if err := s.Append(b.Context(), testChat, tt, images...); err != nil {
		b.Fatal(err)
	}
}
