package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestServeMetricsHealthAndLogsAfterTurn(t *testing.T) {
	x := newTGStack(t)
	srv := startServe(t, x.env())
	x.tg.AddFile("hw", jpegBytes(t))
	x.tg.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice), From: alice, Photo: tgtest.Photo("hw", 0), Caption: photoQuestion})
	x.finalReply(t, srv, alice.ID)

	m := srv.metrics(t)
	exact := map[string]float64{
		`qwenbot_turns_started_total{platform="tg"}`:               1,
		`qwenbot_turns_finished_total{outcome="ok",platform="tg"}`: 1,
		`qwenbot_turn_seconds_count{outcome="ok",platform="tg"}`:   1,
		`qwenbot_first_token_seconds_count{platform="tg"}`:         1,
		`qwenbot_first_visible_seconds_count{platform="tg"}`:       1,
		`qwenbot_llm_tokens_total{kind="input",platform="tg"}`:     900,
		`qwenbot_llm_tokens_total{kind="output",platform="tg"}`:    12,
		`qwenbot_llm_tokens_total{kind="image",platform="tg"}`:     6,
		`qwenbot_turns_in_flight`:                                  0,
		`qwenbot_queue_depth`:                                      0,
		`qwenbot_redis_errors_total`:                               0,
	}
	for series, want := range exact {
		if got, ok := m[series]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", series, got, ok, want)
		}
	}
	for _, series := range []string{
		`qwenbot_edits_sent_total{platform="tg"}`,
		`qwenbot_image_bytes_total{stage="before"}`,
		`qwenbot_image_bytes_total{stage="after"}`,
		`go_goroutines`,
	} {
		if m[series] <= 0 {
			t.Errorf("%s = %v, want > 0", series, m[series])
		}
	}

	if code, body := srv.get(t, "/healthz"); code != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	code, body := srv.get(t, "/readyz")
	for _, want := range []string{"store: ok", "telegram: ok", "intake: ok", "model: ok"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("/readyz = %d %q, want 200 with %q", code, body, want)
		}
	}
	checkTurnLogged(t, srv.stderr.String())
}

// checkTurnLogged checks the JSON log: one Info line for the turn, with
// ids, durations and tokens, and no message text anywhere at Info.
func checkTurnLogged(t *testing.T, logs string) {
	t.Helper()
	for _, secret := range []string{"zebra", "two plus two", "The answer", "sk-test", tgtest.DefaultToken} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
	turns := 0
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] != "turn" {
			continue
		}
		turns++
		if rec["level"] != "INFO" || rec["outcome"] != "ok" || rec["chat"] != "tg:11" || rec["output_tokens"] != 12.0 {
			t.Errorf("turn line %v", rec)
		}
		for _, key := range []string{"first_token_ms", "first_visible_ms", "total_ms", "input_tokens"} {
			if _, ok := rec[key]; !ok {
				t.Errorf("turn line lacks %s: %v", key, rec)
			}
		}
	}
	if turns != 1 {
		t.Errorf("%d turn lines, want 1:\n%s", turns, logs)
	}
}
