package llm_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
)

// Request shapes for the 2026 families (Qwen3.5, Qwen3.6): the multimodal
// endpoint, enable_thinking sent both ways (they think unless told not
// to), thinking_budget only while thinking, images as data URIs with
// max_pixels beside them, and no vl_high_resolution_images.

func TestQwen2026NativeRequestShape(t *testing.T) {
	const mm = "/api/v1/services/aigc/multimodal-generation/generation"
	image := func(px string) string {
		return `[{"role":"user","content":[{"image":"` + jpegURI + `"` + px + `},{"text":"解答这道题"}]}]`
	}
	tests := []struct {
		name     string
		req      llm.Request
		params   string
		messages string
	}{
		{name: "qwen3.5-plus thinking on with budget",
			req:      llm.Request{Model: "qwen3.5-plus", Messages: withPic, Thinking: true, ThinkingBudget: 4096},
			params:   `{"incremental_output":true,"enable_thinking":true,"thinking_budget":4096}`,
			messages: image("")},
		{name: "qwen3.5-plus thinking off sends false and drops the budget",
			req:    llm.Request{Model: "qwen3.5-plus", Messages: withPic, ThinkingBudget: 4096},
			params: `{"incremental_output":true,"enable_thinking":false}`, messages: image("")},
		{name: "qwen3.5-plus snapshot",
			req:    llm.Request{Model: "qwen3.5-plus-2026-02-15", Messages: withPic},
			params: `{"incremental_output":true,"enable_thinking":false}`},
		{name: "qwen3.5-flash snapshot thinking on",
			req:    llm.Request{Model: "qwen3.5-flash-2026-02-23", Messages: withPic, Thinking: true},
			params: `{"incremental_output":true,"enable_thinking":true}`},
		{name: "qwen3.6-plus thinking on",
			req:    llm.Request{Model: "qwen3.6-plus", Messages: withPic, Thinking: true, ThinkingBudget: 100},
			params: `{"incremental_output":true,"enable_thinking":true,"thinking_budget":100}`},
		{name: "qwen3.6-flash snapshot thinking off",
			req:    llm.Request{Model: "qwen3.6-flash-2026-04-16", Messages: withPic},
			params: `{"incremental_output":true,"enable_thinking":false}`},
		{name: "text-only turn still on the multimodal endpoint",
			req:      llm.Request{Model: "qwen3.5-flash", Messages: textOnly[:1]},
			params:   `{"incremental_output":true,"enable_thinking":false}`,
			messages: `[{"role":"user","content":[{"text":"hi"}]}]`},
		{name: "max_pixels beside the image",
			req:    llm.Request{Model: "qwen3.5-plus", Messages: withPic, MaxPixels: 1 << 20},
			params: `{"incremental_output":true,"enable_thinking":false}`, messages: image(`,"max_pixels":1048576`)},
		{name: "max_pixels clamped to 16777216",
			req:    llm.Request{Model: "qwen3.6-plus", Messages: withPic, MaxPixels: 1 << 30},
			params: `{"incremental_output":true,"enable_thinking":false}`, messages: image(`,"max_pixels":16777216`)},
		{name: "max_pixels clamped to 65536",
			req:    llm.Request{Model: "qwen3.5-plus", Messages: withPic, MaxPixels: 10},
			params: `{"incremental_output":true,"enable_thinking":false}`, messages: image(`,"max_pixels":65536`)},
		{name: "high resolution is not sent",
			req:    llm.Request{Model: "qwen3.5-plus", Messages: withPic, HighResolution: true},
			params: `{"incremental_output":true,"enable_thinking":false}`, messages: image("")},
		{name: "high resolution falls back to max_pixels",
			req:    llm.Request{Model: "qwen3.6-plus", Messages: withPic, HighResolution: true, MaxPixels: 1 << 22},
			params: `{"incremental_output":true,"enable_thinking":false}`, messages: image(`,"max_pixels":4194304`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, model := sendOne(t, nil, tt.req)
			if got.Path != mm {
				t.Errorf("path %s, want %s", got.Path, mm)
			}
			if want := obj(t, tt.params); !reflect.DeepEqual(got.Body["parameters"], want) {
				t.Errorf("parameters\n got %v\nwant %v", got.Body["parameters"], want)
			}
			input, _ := got.Body["input"].(map[string]any)
			if tt.messages != "" && !reflect.DeepEqual(input["messages"], obj(t, tt.messages)) {
				t.Errorf("messages\n got %v\nwant %s", input["messages"], tt.messages)
			}
			if model != tt.req.Model || got.Body["model"] != tt.req.Model {
				t.Errorf("model: stream %q body %v, want %q", model, got.Body["model"], tt.req.Model)
			}
			checkNativeHeaders(t, got)
		})
	}
}

func TestQwen2026OpenAIRequestShape(t *testing.T) {
	parts := func(px string) string {
		return `[{"type":"image_url","image_url":{"url":"` + jpegURI + `"}` + px + `},{"type":"text","text":"解答这道题"}]`
	}
	tests := []struct {
		name  string
		param string
		req   llm.Request
		want  string // whole body
	}{
		{name: "dashscope compatible qwen3.5-plus thinking on",
			req: llm.Request{Model: "qwen3.5-plus", Messages: withPic, Thinking: true, ThinkingBudget: 2048},
			want: `{"model":"qwen3.5-plus","stream":true,"stream_options":{"include_usage":true},
				"enable_thinking":true,"thinking_budget":2048,
				"messages":[{"role":"user","content":` + parts("") + `}]}`},
		{name: "dashscope compatible qwen3.6-plus thinking off",
			req: llm.Request{Model: "qwen3.6-plus", Messages: withPic, ThinkingBudget: 2048, MaxPixels: 1 << 20, HighResolution: true},
			want: `{"model":"qwen3.6-plus","stream":true,"stream_options":{"include_usage":true},
				"enable_thinking":false,
				"messages":[{"role":"user","content":` + parts(`,"max_pixels":1048576`) + `}]}`},
		{name: "vllm open weights thinking off", param: llm.ThinkingParamTemplate,
			req: llm.Request{Model: "Qwen/Qwen3.5-27B", Messages: withPic},
			want: `{"model":"Qwen/Qwen3.5-27B","stream":true,"stream_options":{"include_usage":true},
				"chat_template_kwargs":{"enable_thinking":false},
				"messages":[{"role":"user","content":` + parts("") + `}]}`},
		{name: "vllm open weights thinking on", param: llm.ThinkingParamTemplate,
			req: llm.Request{Model: "Qwen/Qwen3.6-35B-A3B-FP8", Messages: withPic, Thinking: true, ThinkingBudget: 5},
			want: `{"model":"Qwen/Qwen3.6-35B-A3B-FP8","stream":true,"stream_options":{"include_usage":true},
				"chat_template_kwargs":{"enable_thinking":true},
				"messages":[{"role":"user","content":` + parts("") + `}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := sendOne(t, func(c *llm.Config) {
				c.Protocol = llm.ProtocolOpenAI
				c.ThinkingParam = tt.param
			}, tt.req)
			if got.Path != "/chat/completions" {
				t.Errorf("path %s", got.Path)
			}
			if want := obj(t, tt.want); !reflect.DeepEqual(map[string]any(got.Body), want) {
				t.Errorf("body\n got %s\nwant %v", got.Raw, want)
			}
		})
	}
}

func TestQwen2026ModelInfo(t *testing.T) {
	c, err := llm.New(llm.Config{APIKey: "k"}, http.DefaultClient, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		family string
		byDef  bool
	}{
		{"qwen3.5-plus", llm.FamilyQwen35, true},
		{"qwen3.5-plus-2026-02-15", llm.FamilyQwen35, true},
		{"qwen3.5-flash", llm.FamilyQwen35, true},
		{"qwen3.5-flash-2026-02-23", llm.FamilyQwen35, true},
		{"qwen3.5-397b-a17b", llm.FamilyQwen35, true},
		{"Qwen/Qwen3.5-122B-A10B", llm.FamilyQwen35, true},
		{"Qwen/Qwen3.5-35B-A3B-FP8", llm.FamilyQwen35, true},
		{"qwen3.5-27b", llm.FamilyQwen35, true},
		{"Qwen/Qwen3.5-0.8B", llm.FamilyQwen35, false},
		{"qwen3.5:9b", llm.FamilyQwen35, true},
		{"qwen3.6-plus", llm.FamilyQwen36, true},
		{"qwen3.6-plus-2026-04-02", llm.FamilyQwen36, true},
		{"qwen3.6-flash-2026-04-16", llm.FamilyQwen36, true},
		{"Qwen/Qwen3.6-27B", llm.FamilyQwen36, true},
		{"qwen3.6:35b-a3b", llm.FamilyQwen36, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := c.Model(tt.name)
			want := llm.ModelInfo{Name: tt.name, Family: tt.family, Thinking: llm.ThinkingHybrid,
				ThinksByDefault: tt.byDef, Vision: true, Video: true, PatchSize: 32,
				MinPixels: 65536, DefaultMaxPixels: 2621440, MaxMaxPixels: 16777216}
			if m != want {
				t.Errorf("Model(%q)\n got %+v\nwant %+v", tt.name, m, want)
			}
			if got := m.PixelBudget(0, true); got != 2621440 {
				t.Errorf("PixelBudget(0, highRes) = %d, want the default 2621440 (no high-resolution cap)", got)
			}
			if m.Assumptions() != "" {
				t.Errorf("known model has assumptions %q", m.Assumptions())
			}
		})
	}
}
