package main

import (
	"io"
	"testing"
	"time"
)

func TestGroupBurstOptions(t *testing.T) {
	getenv := func(string) string { return "" }
	tests := []struct {
		name        string
		args        []string
		think, imgs int
		limit       time.Duration
	}{
		{"mixed keeps its defaults", nil, 100, 50, 19 * time.Second},
		{"burst runs the issue's case", []string{"--scenario=group-burst"}, 0, 0, 19 * time.Second},
		{"burst with every asker at once", []string{"--scenario=group-burst", "--per-chat=6"}, 0, 0, 10 * time.Second},
		{"burst of fewer askers than the concurrency", []string{"--scenario=group-burst", "--users=3"}, 0, 0, 10 * time.Second},
		{"burst in three waves", []string{"--scenario=group-burst", "--users=9"}, 0, 0, 28 * time.Second},
		{"burst with thinking asked for", []string{"--scenario=group-burst", "--think-tokens=50", "--image-turns=2"},
			50, 2, 19 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseOptions(append([]string{"--store=embedded"}, tc.args...), getenv, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if o.ThinkTokens != tc.think || o.ImageTurns != tc.imgs {
				t.Errorf("think tokens %d, image turns %d; want %d, %d", o.ThinkTokens, o.ImageTurns, tc.think, tc.imgs)
			}
			if got := o.burstLimit(); got != tc.limit {
				t.Errorf("burstLimit() = %v, want %v", got, tc.limit)
			}
		})
	}
}

func TestGroupBurstCommandLine(t *testing.T) {
	getenv := func(string) string { return "" }
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--scenario=group-burst"}, "go run ./cmd/qwenbot-load --scenario=group-burst"},
		{[]string{"--scenario=group-burst", "--users=3", "--per-chat=6", "--think-tokens=100"},
			"go run ./cmd/qwenbot-load --think-tokens=100 --scenario=group-burst --users=3 --per-chat=6"},
		{[]string{"--users=3"}, "go run ./cmd/qwenbot-load"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			o, err := parseOptions(tc.args, getenv, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if got := o.commandLine(); got != tc.want {
				t.Errorf("commandLine() = %q, want %q", got, tc.want)
			}
		})
	}
}
