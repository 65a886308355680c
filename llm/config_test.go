package llm_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  llm.Config
		want []string // substrings of the error; nil = valid
	}{
		{"native needs a key", llm.Config{}, []string{"api key is required"}},
		{"openai without key is fine", llm.Config{Protocol: llm.ProtocolOpenAI, BaseURL: "http://localhost:8000/v1"}, nil},
		{"every problem at once", llm.Config{Protocol: "grpc", BaseURL: "ftp://x", ThinkingParam: "magic",
			Models: map[string]llm.ModelInfo{"qwen*-vl": {}}},
			[]string{"unknown protocol", "not an http(s) URL", "unknown thinking param", `model key "qwen*-vl"`}},
		{"negative timeout", llm.Config{APIKey: "k", IdleTimeout: -1}, []string{"negative timeout"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := llm.New(tt.cfg, http.DefaultClient, slog.New(slog.DiscardHandler))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("New succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestBaseURLForms(t *testing.T) {
	tests := []struct {
		name     string
		suffix   string
		protocol llm.Protocol
		path     string
	}{
		{"native root", "", llm.ProtocolDashScope, "/api/v1/services/aigc/text-generation/generation"},
		{"native SDK-style /api/v1/", "/api/v1/", llm.ProtocolDashScope, "/api/v1/services/aigc/text-generation/generation"},
		{"compatible mode", "/compatible-mode/v1", llm.ProtocolOpenAI, "/compatible-mode/v1/chat/completions"},
		{"vllm /v1/", "/v1/", llm.ProtocolOpenAI, "/v1/chat/completions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			a := llmtest.Answer{Text: []string{"ok"}}
			srv.SetDefault(llmtest.Response{Frames: a.Native()})
			if tt.protocol == llm.ProtocolOpenAI {
				srv.SetDefault(llmtest.Response{Frames: a.OpenAI()})
			}
			cfg := srv.Config()
			cfg.Protocol, cfg.BaseURL = tt.protocol, srv.URL+tt.suffix
			s, err := ask(t, newClient(t, srv, cfg), llm.Request{Model: "qwen-plus"})
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if r := collect(t, s); r.err != nil {
				t.Fatal(r.err)
			}
			if got := srv.Requests()[0].Path; got != tt.path {
				t.Errorf("path %s, want %s", got, tt.path)
			}
		})
	}
}

func TestModelInfo(t *testing.T) {
	c, err := llm.New(llm.Config{APIKey: "k", Models: map[string]llm.ModelInfo{
		"my-vl":         {Family: llm.FamilyQwen3VL, Vision: true, Thinking: llm.ThinkingHybrid, PatchSize: 32},
		"qwen-vl-max-*": {Family: llm.FamilyQwenVL, Vision: true, PatchSize: 14},
	}}, http.DefaultClient, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		family   string
		thinking llm.ThinkingMode
		vision   bool
		patch    int
		def      int
	}{
		{"", llm.FamilyQwen3VL, llm.ThinkingHybrid, true, 32, 2621440},
		{"qwen3-vl-plus-2025-09-23", llm.FamilyQwen3VL, llm.ThinkingHybrid, true, 32, 2621440},
		{"qwen3-vl-flash", llm.FamilyQwen3VL, llm.ThinkingHybrid, true, 32, 2621440},
		{"qwen3-vl-30b-a3b-thinking", llm.FamilyQwen3VL, llm.ThinkingAlways, true, 32, 2621440},
		{"qwen3-vl-32b-instruct", llm.FamilyQwen3VL, llm.ThinkingNone, true, 32, 2621440},
		{"Qwen/Qwen3-VL-8B-Thinking-FP8", llm.FamilyQwen3VL, llm.ThinkingAlways, true, 32, 2621440},
		{"qvq-max-latest", llm.FamilyQVQ, llm.ThinkingAlways, true, 28, 1003520},
		{"qwen-vl-max", llm.FamilyQwenVL, llm.ThinkingNone, true, 32, 1310720},
		{"qwen-vl-plus-latest", llm.FamilyQwenVL, llm.ThinkingNone, true, 32, 1310720},
		{"qwen-vl-plus-2025-01-25", llm.FamilyQwenVL, llm.ThinkingNone, true, 28, 1003520},
		{"qwen2.5-vl-72b-instruct", llm.FamilyQwenVL, llm.ThinkingNone, true, 28, 1003520},
		{"qwen-plus", llm.FamilyText, llm.ThinkingHybrid, false, 0, 0},
		{"qwen3-max", llm.FamilyText, llm.ThinkingNone, false, 0, 0},
		{"MY-VL", llm.FamilyQwen3VL, llm.ThinkingHybrid, true, 32, 0},
		{"qwen-vl-max-2025-04-08", llm.FamilyQwenVL, llm.ThinkingNone, true, 14, 0},
		{"llava-next", "", llm.ThinkingNone, true, 32, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := c.Model(tt.name)
			if m.Family != tt.family || m.Thinking != tt.thinking || m.Vision != tt.vision ||
				m.PatchSize != tt.patch || m.DefaultMaxPixels != tt.def {
				t.Errorf("Model(%q) = %+v", tt.name, m)
			}
			if want := tt.name; want != "" && m.Name != want {
				t.Errorf("Name = %q, want %q", m.Name, want)
			}
		})
	}
	if c.DefaultModel() != llm.DefaultModel {
		t.Errorf("DefaultModel() = %q", c.DefaultModel())
	}
	if qvq := c.Model("qvq-plus"); !qvq.StreamOnly || !qvq.FoldSystem || qvq.HighResMaxPixels != 12845056 {
		t.Errorf("qvq-plus = %+v", qvq)
	}
}
