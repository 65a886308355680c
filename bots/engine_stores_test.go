package bots

import (
	"testing"

	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

// newRedisStore returns a Store on the test Redis under a key prefix of
// its own, whose keys are deleted when the test ends.
func newRedisStore(t testing.TB) *memory.Store {
	t.Helper()
	return memorytest.NewStore(t, memory.Config{}, quietLog())
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
