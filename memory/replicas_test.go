package memory

import (
	"context"
	"errors"
	"testing"
	"time"
)

// replicaCounter is what both stores offer replicas.
type replicaCounter interface {
	Replicas(ctx context.Context, id string, ttl time.Duration) (int, error)
	LeaveReplicas(ctx context.Context, id string) error
}

var (
	_ replicaCounter = (*Store)(nil)
	_ replicaCounter = (*Embedded)(nil)
)

func TestStoreReplicas(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	rdb := redisForTest(t)
	testReplicas(t, NewStore(rdb, Config{Prefix: testPrefix(t, rdb), Now: clock.Now}, nil), clock)
}

func TestEmbeddedReplicas(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	testReplicas(t, NewEmbedded(Config{Now: clock.Now}, nil), clock)
}

// testReplicas: a replica counts while its record lasts, and not once it
// expired or left.
func testReplicas(t *testing.T, s replicaCounter, clock *fakeClock) {
	ctx := t.Context()
	const ttl = 15 * time.Second
	count := func(id string, want int) {
		t.Helper()
		if n, err := s.Replicas(ctx, id, ttl); err != nil || n != want {
			t.Fatalf("Replicas(%q) = %d, %v, want %d", id, n, err, want)
		}
	}
	count("a", 1)
	count("b", 2)
	count("a", 2) // again: still two
	clock.Advance(10 * time.Second)
	count("a", 2) // b's record lasts 5 s more
	clock.Advance(6 * time.Second)
	count("a", 1) // b stopped beating 16 s ago
	count("c", 2)
	if err := s.LeaveReplicas(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	count("a", 1)
	if err := s.LeaveReplicas(ctx, "nobody"); err != nil {
		t.Errorf("leaving without a record: %v", err)
	}
	if _, err := s.Replicas(ctx, "", ttl); !errors.Is(err, errEmptyKey) {
		t.Errorf("Replicas without an id: %v, want errEmptyKey", err)
	}
	if _, err := s.Replicas(ctx, "a", 0); err == nil {
		t.Error("Replicas with no TTL: nil error")
	}
}
