package memory

import (
	"log/slog"
	"testing"
)

func TestAppendOfATurnWithAnIDIsIdempotent(t *testing.T) {
	rdb := redisForTest(t)
	s := NewStore(rdb, Config{Prefix: testPrefix(t, rdb)}, slog.New(slog.DiscardHandler))
	ctx := t.Context()
	first, second := testTurn(1, 0), testTurn(2, 0)
	first.ID, second.ID = "abc.1.x", "abc.2.x"
	for _, tt := range []Turn{first, first, second, first, second} {
		if err := s.Append(ctx, testChat, tt); err != nil {
			t.Fatal(err)
		}
	}
	plain := testTurn(3, 0) // no id: stored every time
	for range 2 {
		if err := s.Append(ctx, testChat, plain); err != nil {
			t.Fatal(err)
		}
	}
	h, err := s.Load(ctx, testChat, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tt := range h.Turns {
		ids = append(ids, tt.ID)
	}
	if len(ids) != 4 || ids[0] != first.ID || ids[1] != second.ID || ids[2] != "" || ids[3] != "" {
		t.Errorf("stored ids %q, want each id once, then two turns without one", ids)
	}
}
