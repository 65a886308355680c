package memory

import (
	"context"
	"crypto/rand"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisForTest connects to the test Redis: REDIS_URL (or REDIS_ADDR) if
// set, which must then answer, else 127.0.0.1:6379 if something answers
// there; otherwise, and under -short, the test is skipped.
func redisForTest(t testing.TB) redis.UniversalClient {
	t.Helper()
	if testing.Short() {
		t.Skip("redis tests skipped under -short")
	}
	url, explicit := os.Getenv("REDIS_URL"), true
	if url == "" {
		if addr := os.Getenv("REDIS_ADDR"); addr != "" {
			url = "redis://" + addr
		} else {
			url, explicit = "redis://127.0.0.1:6379", false
		}
	}
	rdb, err := ParseURL(url)
	if err != nil {
		t.Fatalf("REDIS_URL: %v", err)
	}
	t.Cleanup(func() { _ = rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		if explicit {
			t.Fatalf("REDIS_URL is set but Redis does not answer: %v", err)
		}
		t.Skipf("no Redis at 127.0.0.1:6379 (set REDIS_URL to run these tests): %v", err)
	}
	return rdb
}

var unsafeKeyChars = regexp.MustCompile(`[^A-Za-z0-9_/-]`)

// testPrefix returns a key prefix unique to this test run and deletes every
// key under it when the test ends.
func testPrefix(t testing.TB, rdb redis.UniversalClient) string {
	t.Helper()
	prefix := "qwenbot-test:" + unsafeKeyChars.ReplaceAllString(t.Name(), "_") + ":" + rand.Text()[:8] + ":"
	t.Cleanup(func() { deletePrefix(t, rdb, prefix) })
	return prefix
}

// deletePrefix SCANs and DELetes the keys under prefix, on every master of
// a Cluster.
func deletePrefix(t testing.TB, rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	clean := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			if err := c.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
		}
		return iter.Err()
	}
	var err error
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, clean)
	case *redis.Client:
		err = clean(ctx, c)
	}
	if err != nil {
		t.Errorf("clean up keys %s*: %v", prefix, err)
	}
}

func newRedisUnderTest(t *testing.T, cfg Config) storeUnderTest {
	t.Helper()
	rdb := redisForTest(t)
	cfg.Prefix = testPrefix(t, rdb)
	logs := &logRecorder{}
	s := NewStore(rdb, cfg, slog.New(logs))
	ctx := context.Background()
	return storeUnderTest{
		store: s,
		cfg:   s.cfg,
		logs:  logs,
		ttl: func(chat, part string) time.Duration {
			if hash, ok := strings.CutPrefix(part, "img:"); ok {
				return redisImageTTL(t, s, rdb, chat, hash)
			}
			d, err := rdb.PTTL(ctx, redisPartKey(t, s.cfg.Prefix, chat, part)).Result()
			if err != nil {
				t.Fatalf("pttl: %v", err)
			}
			return d
		},
		setTTL: func(chat, part string, d time.Duration) {
			if hash, ok := strings.CutPrefix(part, "img:"); ok {
				setRedisImageTTL(t, s, rdb, chat, hash, d)
				return
			}
			ok, err := rdb.PExpire(ctx, redisPartKey(t, s.cfg.Prefix, chat, part), d).Result()
			if err != nil || !ok {
				t.Fatalf("pexpire %q %q: %v, %v", chat, part, ok, err)
			}
		},
		pushRaw: func(chat string, raw []byte) {
			if err := rdb.RPush(ctx, redisPartKey(t, s.cfg.Prefix, chat, "h"), raw).Err(); err != nil {
				t.Fatalf("rpush: %v", err)
			}
		},
		images: func(chat string) []string {
			k, _ := newChatKeys(s.cfg.Prefix, chat)
			hashes, err := rdb.HKeys(ctx, k.images).Result()
			if err != nil {
				t.Fatalf("hkeys: %v", err)
			}
			indexed, err := rdb.ZRange(ctx, k.index, 0, -1).Result()
			if err != nil {
				t.Fatalf("zrange: %v", err)
			}
			slices.Sort(hashes)
			slices.Sort(indexed)
			if !slices.Equal(hashes, indexed) {
				t.Errorf("stored images %v, indexed %v", hashes, indexed)
			}
			return hashes
		},
	}
}

// redisImageTTL returns how long an image has left: until its index score
// is a TTL old, or until the images hash expires, whichever comes first.
func redisImageTTL(t *testing.T, s *Store, rdb redis.UniversalClient, chat, hash string) time.Duration {
	t.Helper()
	ctx := context.Background()
	k, _ := newChatKeys(s.cfg.Prefix, chat)
	if ok, err := rdb.HExists(ctx, k.images, hash).Result(); err != nil || !ok {
		return ttlMissing
	}
	used, err := rdb.ZScore(ctx, k.index, hash).Result()
	if err != nil {
		return ttlMissing
	}
	left := time.UnixMilli(int64(used)).Add(s.cfg.TTL).Sub(s.cfg.Now())
	if left <= 0 {
		return ttlMissing
	}
	if d, err := rdb.PTTL(ctx, k.images).Result(); err == nil && d >= 0 {
		left = min(left, d)
	}
	return left
}

// setRedisImageTTL backdates an image's last use so it expires in d.
func setRedisImageTTL(t *testing.T, s *Store, rdb redis.UniversalClient, chat, hash string, d time.Duration) {
	t.Helper()
	k, _ := newChatKeys(s.cfg.Prefix, chat)
	used := s.cfg.Now().Add(d - s.cfg.TTL).UnixMilli()
	if err := rdb.ZAddXX(context.Background(), k.index, redis.Z{Score: float64(used), Member: hash}).Err(); err != nil {
		t.Fatalf("backdate image %s: %v", hash, err)
	}
}

// redisPartKey maps a storeUnderTest part to its Redis key.
func redisPartKey(t testing.TB, prefix, chat, part string) string {
	t.Helper()
	kind, name, _ := strings.Cut(part, ":")
	if chat == "" {
		key, err := taggedKey(prefix, kind, name)
		if err != nil {
			t.Fatalf("key of %q: %v", part, err)
		}
		return key
	}
	k, err := newChatKeys(prefix, chat)
	if err != nil {
		t.Fatalf("keys of %q: %v", chat, err)
	}
	switch {
	case part == "h":
		return k.history
	case part == "s":
		return k.settings
	case part == "lock":
		return k.lock
	}
	t.Fatalf("unknown part %q", part)
	return ""
}

// roundTrips is a go-redis hook counting round trips: one per command
// outside a pipeline, one per pipeline or transaction.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}

func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}
