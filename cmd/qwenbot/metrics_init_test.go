package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots"
)

// sourceOutcomes are the outcome values declared in bots/observer.go.
func sourceOutcomes(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../../bots/observer.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`Outcome\s*=\s*"(\w+)"`).FindAllStringSubmatch(string(raw), -1) {
		out = append(out, m[1])
	}
	if len(out) < 10 {
		t.Fatalf("found only %v in bots/observer.go", out)
	}
	return out
}

func TestKnownOutcomesAreEveryOutcome(t *testing.T) {
	for _, o := range sourceOutcomes(t) {
		if !slices.ContainsFunc(knownOutcomes(), func(k bots.Outcome) bool { return string(k) == o }) {
			t.Errorf("knownOutcomes lacks %q", o)
		}
	}
}

func TestREADMEListsEveryOutcomeWithItsLevel(t *testing.T) {
	text := readme(t)
	for _, o := range sourceOutcomes(t) {
		if !regexp.MustCompile("(?m)^\\| `" + o + "` \\| (Info|Warn|Error) \\|").MatchString(text) {
			t.Errorf("README's outcome table has no row `%s` | level |", o)
		}
	}
}

func TestMetricsInitialisedAtStart(t *testing.T) {
	x := newTGStack(t)
	srv := startServe(t, x.env())
	m := srv.metrics(t)
	for _, series := range []string{
		`qwenbot_turns_finished_total{outcome="lock_lost",platform="tg"}`,
		`qwenbot_turns_finished_total{outcome="ok",platform="tg"}`,
		`qwenbot_turns_rejected_total{platform="tg",reason="busy"}`,
		`qwenbot_llm_tokens_total{kind="reasoning",platform="tg"}`,
		`qwenbot_turns_started_total{platform="tg"}`,
		`qwenbot_image_bytes_total{stage="after"}`,
	} {
		if v, ok := m[series]; !ok || v != 0 {
			t.Errorf("%s = %v (present %v), want 0 before any turn", series, v, ok)
		}
	}
	found := false
	for series, v := range m {
		if strings.HasPrefix(series, "qwenbot_build_info{") && strings.Contains(series, `commit="`) && v == 1 {
			found = true
		}
	}
	if !found {
		t.Error("no qwenbot_build_info series with a commit label")
	}
}
