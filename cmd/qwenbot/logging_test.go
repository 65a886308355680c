package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestNewLogger(t *testing.T) {
	tests := []struct {
		name      string
		cfg       LogConfig
		wantDebug bool
		check     func(line string) bool
	}{
		{"json at info", LogConfig{Level: "info", Format: "json"}, false, func(l string) bool { return json.Valid([]byte(l)) }},
		{"text at debug", LogConfig{Level: "debug", Format: "text"}, true, func(l string) bool { return strings.Contains(l, "msg=hello") }},
		{"upper-case level", LogConfig{Level: "WARN", Format: "text"}, false, func(l string) bool { return l == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out syncBuffer
			log := newLogger(tt.cfg, &out)
			if got := log.Enabled(context.Background(), slog.LevelDebug); got != tt.wantDebug {
				t.Errorf("debug enabled = %v, want %v", got, tt.wantDebug)
			}
			log.Info("hello", "k", 1)
			if line := strings.TrimSpace(out.String()); !tt.check(line) {
				t.Errorf("logged %q", line)
			}
		})
	}
}

func TestRedisLoggerWarns(t *testing.T) {
	var out syncBuffer
	redisLogger{newLogger(LogConfig{Level: "info", Format: "json"}, &out)}.Printf(context.Background(), "pool: %s", "connection reset")
	var rec map[string]any
	if err := json.Unmarshal([]byte(out.String()), &rec); err != nil {
		t.Fatalf("not one JSON line: %q", out.String())
	}
	if rec["level"] != "WARN" || rec["msg"] != "pool: connection reset" {
		t.Errorf("logged %v", rec)
	}
}

func TestJSONDurationsAreMilliseconds(t *testing.T) {
	var out syncBuffer
	newLogger(LogConfig{Level: "info", Format: "json"}, &out).Info("turn",
		slog.Duration("first_token", 2400*time.Microsecond), slog.Group("g", slog.Duration("total", 3*time.Second)))
	var rec map[string]any
	if err := json.Unmarshal([]byte(out.String()), &rec); err != nil {
		t.Fatalf("not one JSON line: %q", out.String())
	}
	if rec["first_token_ms"] != 2.4 || rec["g"].(map[string]any)["total_ms"] != 3000.0 {
		t.Errorf("logged %v, want first_token_ms 2.4 and g.total_ms 3000", rec)
	}
	if _, ok := rec["first_token"]; ok {
		t.Errorf("logged nanoseconds too: %v", rec)
	}
}
