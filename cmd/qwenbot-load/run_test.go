package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/memory"
)

// TestMain lets the test binary be the world's process, as the real
// binary is, when a run starts it as a child.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == worldArg {
		if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "world:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// tinyArgs is a load small and fast enough for a unit test: 16 chats for
// 1.5 s, quick answers, a 12-turn image conversation of small photos.
func tinyArgs(extra ...string) []string {
	return append([]string{
		"--chats=16", "--duration=1500ms", "--drain=20s", "--think-time=300ms",
		"--tokens-per-sec=400", "--answer-tokens=120", "--think-tokens=20",
		"--first-token-delay=20ms", "--tg-rtt=2ms", "--image-turns=12", "--image-size=320x240",
		"--json-only",
	}, extra...)
}

// storeArgs picks Redis when the tests have one (REDIS_URL or REDIS_ADDR,
// which must then answer, else 127.0.0.1:6379 if it answers), and the
// embedded store otherwise, so the test always runs.
func storeArgs(t *testing.T) (args []string, getenv func(string) string) {
	t.Helper()
	url := redisURL(os.Getenv)
	explicit := os.Getenv("REDIS_URL") != "" || os.Getenv("REDIS_ADDR") != ""
	rdb, err := memory.ParseURL(url)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = rdb.Ping(ctx).Err()
		cancel()
		_ = rdb.Close()
	}
	switch {
	case err == nil:
		return nil, func(k string) string { return map[string]string{"REDIS_URL": url}[k] }
	case explicit:
		t.Fatalf("REDIS_URL or REDIS_ADDR is set but Redis does not answer: %v", err)
	}
	t.Logf("no Redis at %s; using the embedded store", url)
	return []string{"--store=embedded"}, func(string) string { return "" }
}

// runTiny runs the harness with args and returns its report.
func runTiny(t *testing.T, args []string, getenv func(string) string) report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errs bytes.Buffer
	if err := run(ctx, args, getenv, strings.NewReader(""), &out, &errs); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, errs.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("--json-only printed %d lines:\n%s", len(lines), out.String())
	}
	var r report
	if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
		t.Fatalf("the JSON line does not parse: %v\n%s", err, lines[0])
	}
	return r
}

func TestRunReportsInvariants(t *testing.T) {
	sargs, getenv := storeArgs(t)
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, r report)
	}{
		{
			name: "ours in a child process",
			args: tinyArgs(sargs...),
			check: func(t *testing.T, r report) {
				if r.TG429 != 0 || r.Bot429 != 0 {
					t.Errorf("our pacer got %d 429s (bot saw %d)", r.TG429, r.Bot429)
				}
				if r.FinalsDelivered != r.FinalsExpected {
					t.Errorf("finals delivered %d of %d", r.FinalsDelivered, r.FinalsExpected)
				}
				if r.ImageTurnB != 12 || r.ImageTokensB <= r.ImageTokensA {
					t.Errorf("image conversation: turn %d %d tokens, turn %d %d tokens",
						r.ImageTurnA, r.ImageTokensA, r.ImageTurnB, r.ImageTokensB)
				}
				if r.StalePrivate.N == 0 || r.FirstVisible.N == 0 || r.EditsPerReply < 1 {
					t.Errorf("latencies missing: %+v", r)
				}
				if r.FirstTextPrivate.N == 0 || r.FirstTextGroup.N == 0 || r.Final.N == 0 ||
					r.Question.N != r.FinalsDelivered || r.Question.P95 < r.Question.P50 {
					t.Errorf("first text, final or question latencies missing: %+v", r)
				}
				if r.ToRequest.N != r.Turns || r.ToRequestImage.N != r.ImageTurnB || r.ImageSize != "320x240" {
					t.Errorf("question to model request: %d text of %d turns, %d photos of %d (%s)",
						r.ToRequest.N, r.Turns, r.ToRequestImage.N, r.ImageTurnB, r.ImageSize)
				}
				if r.Scenario != "mixed" || r.PerChat != defaultPerChat || r.Replies != nil {
					t.Errorf("scenario %q, per chat %d, replies %v", r.Scenario, r.PerChat, r.Replies)
				}
				if tg := r.Targets; tg.FirstTextPrivate == nil || tg.FirstTextGroup == nil || tg.Final == nil ||
					tg.BurstLastFinal != nil {
					t.Errorf("targets = %+v", tg)
				}
				if r.Mode != "bot process only" {
					t.Errorf("mode = %q", r.Mode)
				}
				if r.RichMessages != "auto" || r.TGShown == 0 || r.TGRich != r.TGShown {
					t.Errorf("rich messages %q: %d of %d shown were rich, want all (the bot's default)",
						r.RichMessages, r.TGRich, r.TGShown)
				}
			},
		},
		{
			name: "every-n-chars in process",
			// Flooded, this policy loses its finals; the run ends after
			// the drain.
			args: tinyArgs(append(sargs, "--policy=every-n-chars", "--in-process", "--image-turns=2", "--drain=4s",
				"--rich-messages=off")...),
			check: func(t *testing.T, r report) {
				if r.RichMessages != "off" || r.TGShown == 0 || r.TGRich != 0 {
					t.Errorf("rich messages %q: %d of %d shown were rich, want none", r.RichMessages, r.TGRich, r.TGShown)
				}
				if r.TG429 == 0 || r.Bot429 == 0 {
					t.Errorf("edits every few characters never hit Telegram's limits: %d 429s (bot saw %d)", r.TG429, r.Bot429)
				}
				if r.ImageTurnB != 2 || r.Mode != "bot and fakes in one process" {
					t.Errorf("image turns %d, mode %q", r.ImageTurnB, r.Mode)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runTiny(t, tc.args, getenv)
			if r.Chats != 16 || r.Turns < r.Chats {
				t.Errorf("%d chats sent %d turns; want every chat to send", r.Chats, r.Turns)
			}
			if r.HeapMethod != heapBySlope && r.HeapMethod != heapByRatio {
				t.Errorf("heap method = %q", r.HeapMethod)
			}
			if r.FinalsExpected != r.Turns || r.TGRequests == 0 {
				t.Errorf("turns %d, finals expected %d, requests %d", r.Turns, r.FinalsExpected, r.TGRequests)
			}
			tc.check(t, r)
		})
	}
}

func TestRunGroupBurst(t *testing.T) {
	t.Parallel()
	sargs, getenv := storeArgs(t)
	args := append([]string{"--scenario=group-burst", "--users=3", "--answer-tokens=40", "--tokens-per-sec=400",
		"--first-token-delay=20ms", "--tg-rtt=2ms", "--drain=40s", "--in-process", "--json-only"}, sargs...)
	r := runTiny(t, args, getenv)
	if r.Scenario != "group-burst" || r.Users != 3 || r.PerChat != defaultPerChat || r.Chats != 1 || r.Groups != 1 {
		t.Errorf("scenario %q, users %d, per chat %d, chats %d (%d groups)", r.Scenario, r.Users, r.PerChat, r.Chats, r.Groups)
	}
	if r.Turns != 3 || r.FinalsDelivered != 3 || r.TG429 != 0 {
		t.Errorf("turns %d, finals %d, 429s %d", r.Turns, r.FinalsDelivered, r.TG429)
	}
	if len(r.Replies) != 3 {
		t.Fatalf("replies = %+v, want 3", r.Replies)
	}
	for i, rp := range r.Replies {
		if rp.Asker != i+1 || !rp.Delivered || rp.FirstText < 0 || rp.Final < 0 || rp.Question < rp.Final {
			t.Errorf("reply %d = %+v", i+1, rp)
		}
	}
	if r.Question.N != 3 || r.BurstLimitMs != ms(burstFirstWave) {
		t.Errorf("question %+v, limit %v ms", r.Question, r.BurstLimitMs)
	}
	if tg := r.Targets; tg.BurstLastFinal == nil || tg.AllFinals == nil || !*tg.AllFinals ||
		tg.Staleness != nil || tg.Heap != nil {
		t.Errorf("targets = %+v", tg)
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in the error
	}{
		{"too many chats", []string{"--chats=1000000"}, "--chats"},
		{"unknown policy", []string{"--policy=fast"}, "unknown policy"},
		{"remote redis", []string{"--duration=1s"}, "not loopback"},
		{"stray argument", []string{"now"}, "unexpected argument"},
		{"unknown scenario", []string{"--scenario=rush"}, "unknown scenario"},
		{"no askers", []string{"--scenario=group-burst", "--users=0"}, "--users"},
		{"no concurrency", []string{"--per-chat=0"}, "--per-chat"},
		{"unknown rich messages mode", []string{"--rich-messages=html"}, "--rich-messages"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			getenv := func(k string) string {
				return map[string]string{"REDIS_URL": "redis://192.0.2.1:6379"}[k]
			}
			var out, errs bytes.Buffer
			err := run(context.Background(), tc.args, getenv, strings.NewReader(""), &out, &errs)
			if err == nil {
				t.Fatal("run accepted it")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("printed a report: %s", out.String())
			}
		})
	}
}
