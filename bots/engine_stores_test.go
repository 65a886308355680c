package bots

import (
	"context"
	"crypto/rand"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/memory"
	"github.com/redis/go-redis/v9"
)

// redisForTest connects to the test Redis: REDIS_URL if set (which must
// answer), else 127.0.0.1:6379 if something answers there; otherwise the
// test is skipped.
func redisForTest(t testing.TB) redis.UniversalClient {
	t.Helper()
	url, explicit := os.Getenv("REDIS_URL"), true
	if url == "" {
		url, explicit = "redis://127.0.0.1:6379", false
	}
	rdb, err := memory.ParseURL(url)
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
		t.Skipf("no Redis at 127.0.0.1:6379 (set REDIS_URL): %v", err)
	}
	return rdb
}

var keyUnsafe = regexp.MustCompile(`[^A-Za-z0-9_/-]`)

// newRedisStore returns a Store under a key prefix of its own, whose keys
// are deleted when the test ends.
func newRedisStore(t testing.TB) *memory.Store {
	t.Helper()
	rdb := redisForTest(t)
	prefix := "qwenbot-test:bots:" + keyUnsafe.ReplaceAllString(t.Name(), "_") + ":" + rand.Text()[:8] + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			_ = rdb.Del(ctx, iter.Val()).Err()
		}
	})
	return memory.NewStore(rdb, memory.Config{Prefix: prefix}, quietLog())
}

// newEmbeddedStore returns an in-process store.
func newEmbeddedStore(t testing.TB) *memory.Embedded {
	t.Helper()
	return memory.NewEmbedded(memory.Config{}, quietLog())
}

// storeKind is a store the core flow runs against.
type storeKind struct {
	name string
	make func(t testing.TB) history
}

// storeKinds returns Redis and the embedded store.
func storeKinds() []storeKind {
	return []storeKind{
		{"redis", func(t testing.TB) history { return newRedisStore(t) }},
		{"embedded", func(t testing.TB) history { return newEmbeddedStore(t) }},
	}
}
