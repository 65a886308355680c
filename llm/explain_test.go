package llm_test

import (
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
)

func TestExplain(t *testing.T) {
	tests := []struct {
		name string
		cfg  llm.Config
		req  llm.Request
		want map[string]string // field → substring of its value
	}{
		{name: "qwen3.5-plus native", cfg: llm.Config{Model: "qwen3.5-plus"},
			req: llm.Request{ThinkingBudget: 8192, MaxPixels: 1 << 20},
			want: map[string]string{
				"table entry":           "family qwen3.5",
				"endpoint":              "POST https://dashscope.aliyuncs.com/api/v1/services/aigc/multimodal-generation/generation",
				"thinking":              "thinks unless told not to",
				"request, thinking on":  `{"incremental_output":true,"enable_thinking":true,"thinking_budget":8192}`,
				"request, thinking off": `{"incremental_output":true,"enable_thinking":false}`,
				"max_pixels":            "accepted 65536 to 16777216, default 2621440; sent beside each image: 1048576",
				"high resolution":       "not available",
				"image budget":          "at most 1048576 px",
				"video":                 "takes video",
			}},
		{name: "request model wins, default budget", cfg: llm.Config{},
			req: llm.Request{Model: "qwen3.6-flash-2026-04-16", HighResolution: true},
			want: map[string]string{
				"model":        "qwen3.6-flash-2026-04-16",
				"table entry":  "family qwen3.6",
				"max_pixels":   "; not sent",
				"image budget": "at most 2621440 px",
			}},
		{name: "unknown model shows the assumptions", cfg: llm.Config{Model: "my-finetune"},
			want: map[string]string{
				"table entry":  "none; assumed: vision model",
				"thinking":     "none: /think has no effect",
				"request":      `{"incremental_output":true}`,
				"max_pixels":   "never sent",
				"image budget": "unknown",
			}},
		{name: "vllm without a thinking switch",
			cfg: llm.Config{Protocol: llm.ProtocolOpenAI, BaseURL: "http://127.0.0.1:8000/v1",
				Model: "Qwen/Qwen3.5-35B-A3B", ThinkingParam: llm.ThinkingParamNone},
			want: map[string]string{
				"endpoint":              "POST http://127.0.0.1:8000/v1/chat/completions",
				"thinking":              "sends no switch, so the model's own default applies",
				"request, thinking off": `{"stream":true,"stream_options":{"include_usage":true}}`,
			}},
		{name: "text model", cfg: llm.Config{Model: "qwen-plus"},
			want: map[string]string{
				"endpoint": "text-generation/generation",
				"images":   "no: text model",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]string{}
			for _, f := range tt.cfg.Explain(tt.req) {
				got[f.Name] = f.Value
			}
			for k, want := range tt.want {
				if !strings.Contains(got[k], want) {
					t.Errorf("%s = %q, want it to contain %q", k, got[k], want)
				}
			}
		})
	}
}
