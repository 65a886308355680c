package llm_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// logBuffer collects JSON log records; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// warnings returns the warning records logged so far.
func (b *logBuffer) warnings(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("bad log line %q: %v", line, err)
		}
		if rec["level"] == "WARN" {
			out = append(out, rec)
		}
	}
	return out
}

func TestUnknownModelWarnsOnce(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.SetDefault(llmtest.Response{Frames: llmtest.Answer{Text: []string{"ok"}}.Native()})
	var logs logBuffer
	cfg := srv.Config()
	cfg.Model, cfg.TextModel = "my-finetune", "qwen-plus"
	c, err := llm.New(cfg, srv.Client(), slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	w := logs.warnings(t)
	if len(w) != 1 {
		t.Fatalf("got %d warnings at start, want 1: %v", len(w), w)
	}
	assumes, _ := w[0]["assumes"].(string)
	if w[0]["model"] != "my-finetune" || !strings.Contains(assumes, "no thinking switch") ||
		!strings.Contains(assumes, "max_pixels") || !strings.Contains(assumes, "32x32") {
		t.Errorf("warning does not name the model and the assumptions: %v", w[0])
	}
	if m := c.Model(""); !m.Assumed || m.Assumptions() != assumes {
		t.Errorf("Model(\"\") = %+v, want the assumed row", m)
	}
	for range 2 { // using the model again does not warn again
		s, err := ask(t, c, llm.Request{Messages: withPic})
		if err != nil {
			t.Fatal(err)
		}
		collect(t, s)
	}
	c.Model("MY-FINETUNE")
	if n := len(logs.warnings(t)); n != 1 {
		t.Errorf("got %d warnings after reuse, want 1", n)
	}
	c.Model("Other-VL") // a per-chat model met later warns once too
	c.Model("other-vl")
	w = logs.warnings(t)
	if len(w) != 2 || w[1]["model"] != "Other-VL" {
		t.Errorf("warnings after a second unknown model: %v", w)
	}
}

func TestKnownModelsDoNotWarn(t *testing.T) {
	for _, name := range []string{"qwen3-vl-plus", "qwen3.5-plus", "Qwen/Qwen3.6-27B", "qvq-max", "qwen-plus"} {
		t.Run(name, func(t *testing.T) {
			var logs logBuffer
			c, err := llm.New(llm.Config{APIKey: "k", Model: name}, nil, slog.New(slog.NewJSONHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			c.Model(name)
			if w := logs.warnings(t); len(w) != 0 {
				t.Errorf("known model %s warned: %v", name, w)
			}
		})
	}
}

func TestThinkingByDefaultWithoutSwitchWarns(t *testing.T) {
	tests := []struct {
		name  string
		cfg   llm.Config
		warns bool
	}{
		{"no switch", llm.Config{Protocol: llm.ProtocolOpenAI, ThinkingParam: llm.ThinkingParamNone, Model: "Qwen/Qwen3.5-27B"}, true},
		{"chat_template_kwargs", llm.Config{Protocol: llm.ProtocolOpenAI, ThinkingParam: llm.ThinkingParamTemplate, Model: "Qwen/Qwen3.5-27B"}, false},
		{"off by default", llm.Config{Protocol: llm.ProtocolOpenAI, ThinkingParam: llm.ThinkingParamNone, Model: "Qwen/Qwen3.5-0.8B"}, false},
		{"native", llm.Config{APIKey: "k", Model: "qwen3.6-plus"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs logBuffer
			c, err := llm.New(tt.cfg, nil, slog.New(slog.NewJSONHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			c.Model("")
			w := logs.warnings(t)
			if got := len(w) == 1 && strings.Contains(w[0]["msg"].(string), "always think"); got != tt.warns || len(w) > 1 {
				t.Errorf("warnings %v, want a warning: %v", w, tt.warns)
			}
		})
	}
}
