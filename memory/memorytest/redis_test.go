package memorytest

import (
	"context"
	"testing"

	"github.com/qwenbot/qwenbot/memory"
)

func TestPrefixKeysAreDeleted(t *testing.T) {
	rdb := Redis(t)
	var prefix string
	t.Run("inner", func(t *testing.T) {
		prefix = Prefix(t, rdb)
		st := memory.NewStore(rdb, memory.Config{Prefix: prefix}, nil)
		if err := st.Append(context.Background(), "tg:1", memory.Turn{User: "q", Assistant: "a"}); err != nil {
			t.Fatal(err)
		}
		if n, _ := rdb.Keys(context.Background(), prefix+"*").Result(); len(n) == 0 {
			t.Fatal("no keys under the prefix after Append")
		}
	})
	if keys, err := rdb.Keys(context.Background(), prefix+"*").Result(); err != nil || len(keys) != 0 {
		t.Errorf("keys left under %s after the test: %v (%v)", prefix, keys, err)
	}
}
