package memory

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// stopBus is what the stop test needs of a store.
type stopBus interface {
	PublishStop(ctx context.Context, st Stop) error
	Stops(ctx context.Context) (<-chan Stop, error)
	LockedFor(ctx context.Context, chat, holder string) (bool, error)
	TryLock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error)
}

var (
	_ stopBus = (*Store)(nil)
	_ stopBus = (*Embedded)(nil)
)

func TestStops(t *testing.T) {
	tests := []struct {
		name string
		// replicas returns two stores sharing one backend.
		replicas func(t *testing.T) (stopBus, stopBus)
	}{
		{name: "embedded", replicas: func(*testing.T) (stopBus, stopBus) {
			e := NewEmbedded(Config{}, slog.New(slog.DiscardHandler))
			return e, e
		}},
		{name: "redis", replicas: func(t *testing.T) (stopBus, stopBus) {
			rdb := redisForTest(t)
			cfg := Config{Prefix: testPrefix(t, rdb)}
			log := slog.New(slog.DiscardHandler)
			return NewStore(rdb, cfg, log), NewStore(rdb, cfg, log)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := tt.replicas(t)
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			subCtx, unsubscribe := context.WithCancel(ctx)
			sa, err := a.Stops(subCtx)
			if err != nil {
				t.Fatal(err)
			}
			sb, err := b.Stops(subCtx)
			if err != nil {
				t.Fatal(err)
			}
			if err := b.PublishStop(ctx, Stop{Chat: "tg:1", ID: "t7", From: "b"}); err != nil {
				t.Fatal(err)
			}
			for name, ch := range map[string]<-chan Stop{"a": sa, "b": sb} {
				select {
				case got := <-ch:
					if got != (Stop{Chat: "tg:1", ID: "t7", From: "b"}) {
						t.Errorf("replica %s got %+v", name, got)
					}
				case <-ctx.Done():
					t.Fatalf("replica %s got no stop request", name)
				}
			}
			if err := a.PublishStop(ctx, Stop{}); err == nil {
				t.Error("PublishStop with no chat succeeded")
			}
			unsubscribe()
			for name, ch := range map[string]<-chan Stop{"a": sa, "b": sb} {
				for range ch { // drain until closed
				}
				if ctx.Err() != nil {
					t.Fatalf("replica %s: channel not closed after unsubscribing", name)
				}
			}

			if locked, err := b.LockedFor(ctx, "tg:2", ""); err != nil || locked {
				t.Errorf("LockedFor on a free chat = %v, %v", locked, err)
			}
			l, err := a.TryLock(ctx, "tg:2", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if locked, err := b.LockedFor(ctx, "tg:2", ""); err != nil || !locked {
				t.Errorf("LockedFor on a held chat = %v, %v", locked, err)
			}
			if err := l.Release(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}
