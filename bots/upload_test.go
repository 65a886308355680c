package bots_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/qwenbot/qwenbot/bots"
)

// TestReadUpload checks the limit, whatever length the server declared:
// the exact size, none, a wrong one, and a body over the limit.
func TestReadUpload(t *testing.T) {
	body := strings.Repeat("x", 10_000)
	tests := []struct {
		name        string
		size, limit int64
		ok          bool
	}{
		{"declared", 10_000, 10_000, true},
		{"unknown length", -1, 20_000, true},
		{"declared too short", 10, 20_000, true},
		{"declared too long", 1 << 40, 20_000, true},
		{"over the limit", 10_000, 9_999, false},
		{"over the limit, undeclared", -1, 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, ok, err := bots.ReadUpload(strings.NewReader(body), tt.size, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v", ok, tt.ok)
			}
			if ok && string(data) != body {
				t.Errorf("read %d bytes, want the %d sent", len(data), len(body))
			}
		})
	}
	if _, _, err := bots.ReadUpload(iotest.ErrReader(bytes.ErrTooLarge), 10, 100); err == nil {
		t.Error("a failed read returned no error")
	}
}
