// Package memorytest gives tests a real Redis and a memory.Store whose keys
// live under a prefix of the test's own and are deleted when it ends. It
// never runs FLUSHALL.
package memorytest

import (
	"context"
	"crypto/rand"
	"log/slog"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/memory"
)

// DefaultURL is where tests look for Redis when neither REDIS_URL nor
// REDIS_ADDR is set.
const DefaultURL = "redis://127.0.0.1:6379"

// URL returns the Redis URL tests use and whether the environment named it
// explicitly (REDIS_URL, or REDIS_ADDR as host:port).
func URL() (url string, explicit bool) {
	if u := os.Getenv("REDIS_URL"); u != "" {
		return u, true
	}
	if a := os.Getenv("REDIS_ADDR"); a != "" {
		return "redis://" + a, true
	}
	return DefaultURL, false
}

// Redis connects to the test Redis. A Redis named by the environment must
// answer, or the test fails; otherwise, when nothing answers at
// DefaultURL, and under -short, the test is skipped. The client is closed
// when the test ends.
func Redis(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	if testing.Short() {
		tb.Skip("needs Redis; skipped under -short")
	}
	url, explicit := URL()
	rdb, err := memory.ParseURL(url)
	if err != nil {
		tb.Fatalf("test redis url: %v", err)
	}
	tb.Cleanup(func() { _ = rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		if explicit {
			tb.Fatalf("Redis named by REDIS_URL/REDIS_ADDR does not answer: %v", err)
		}
		tb.Skipf("no Redis at %s (set REDIS_URL): %v", url, err)
	}
	return rdb
}

var unsafeKey = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// Prefix returns a key prefix unique to the test and deletes every key
// under it when the test ends.
func Prefix(tb testing.TB, rdb redis.UniversalClient) string {
	tb.Helper()
	prefix := "qwenbot-test:" + unsafeKey.ReplaceAllString(tb.Name(), "_") + ":" + rand.Text()[:8] + ":"
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			_ = rdb.Del(ctx, iter.Val()).Err()
		}
	})
	return prefix
}

// NewStore returns a Store on the test Redis under a Prefix of the test's
// own (cfg.Prefix is replaced).
func NewStore(tb testing.TB, cfg memory.Config, log *slog.Logger) *memory.Store {
	tb.Helper()
	rdb := Redis(tb)
	cfg.Prefix = Prefix(tb, rdb)
	return memory.NewStore(rdb, cfg, log)
}
