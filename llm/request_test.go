package llm_test

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

var (
	jpeg     = []byte{0xff, 0xd8, 0xff, 0xe0, 1, 2, 3}
	jpegURI  = "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(jpeg)
	withPic  = []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{llm.ImagePart("image/jpeg", jpeg), llm.TextPart(""), llm.TextPart("解答这道题")}}}
	textOnly = []llm.Message{
		{Role: llm.RoleUser, Parts: []llm.Part{llm.TextPart("hi")}},
		{Role: llm.RoleAssistant, Parts: []llm.Part{llm.TextPart("hello")}},
		{Role: llm.RoleUser, Parts: []llm.Part{llm.TextPart("2+2?")}},
	}
)

func f64(v float64) *float64 { return &v }

// obj decodes a JSON literal for comparison with a recorded body.
func obj(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad literal %s: %v", s, err)
	}
	return v
}

// sendOne streams req against a fake answering "ok" and returns the request
// the server saw and the model the stream reported.
func sendOne(t *testing.T, cfg func(*llm.Config), req llm.Request) (llmtest.Request, string) {
	t.Helper()
	srv := llmtest.NewServer(t)
	answer := llmtest.Answer{Text: []string{"ok"}}
	c := srv.Config()
	if cfg != nil {
		cfg(&c)
	}
	frames := answer.Native()
	if c.Protocol == llm.ProtocolOpenAI {
		frames = answer.OpenAI()
	}
	srv.Enqueue(llmtest.Response{Frames: frames})
	s, err := ask(t, newClient(t, srv, c), req)
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	if r := collect(t, s); r.err != nil || r.answer != "ok" {
		t.Fatalf("stream: %q, %v", r.answer, r.err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1", len(reqs))
	}
	return reqs[0], s.Model()
}

func TestNativeRequestShape(t *testing.T) {
	const mm = "/api/v1/services/aigc/multimodal-generation/generation"
	tests := []struct {
		name       string
		req        llm.Request
		path       string
		params     string
		messages   string // "" = not checked
		streamName string
	}{
		{name: "qwen3-vl-plus thinking on", path: mm,
			req:        llm.Request{Messages: withPic, Thinking: true, ThinkingBudget: 8192, MaxTokens: 500, Temperature: f64(0.3), TopP: f64(0.9)},
			params:     `{"incremental_output":true,"enable_thinking":true,"thinking_budget":8192,"max_tokens":500,"temperature":0.3,"top_p":0.9}`,
			messages:   `[{"role":"user","content":[{"image":"` + jpegURI + `"},{"text":"解答这道题"}]}]`,
			streamName: "qwen3-vl-plus"},
		{name: "qwen3-vl-plus thinking off drops budget", path: mm,
			req:    llm.Request{Messages: withPic, ThinkingBudget: 8192, System: "Be brief."},
			params: `{"incremental_output":true,"enable_thinking":false}`,
			messages: `[{"role":"system","content":[{"text":"Be brief."}]},` +
				`{"role":"user","content":[{"image":"` + jpegURI + `"},{"text":"解答这道题"}]}]`},
		{name: "qwen3-vl-flash snapshot is hybrid", path: mm,
			req:    llm.Request{Model: "qwen3-vl-flash-2025-10-15", Messages: withPic, Thinking: true},
			params: `{"incremental_output":true,"enable_thinking":true}`, streamName: "qwen3-vl-flash-2025-10-15"},
		{name: "thinking-only never sends enable_thinking", path: mm,
			req:    llm.Request{Model: "qwen3-vl-235b-a22b-thinking", Messages: withPic, ThinkingBudget: 100},
			params: `{"incremental_output":true,"thinking_budget":100}`},
		{name: "qvq: no thinking params, no sampling, system folded", path: mm,
			req: llm.Request{Model: "qvq-max", System: "Answer in English.", Messages: withPic, Thinking: true,
				ThinkingBudget: 100, Temperature: f64(1), MaxTokens: 64},
			params:   `{"incremental_output":true,"max_tokens":64}`,
			messages: `[{"role":"user","content":[{"text":"Answer in English."},{"image":"` + jpegURI + `"},{"text":"解答这道题"}]}]`},
		{name: "qwen-vl-max: no thinking params, high resolution", path: mm,
			req:      llm.Request{Model: "qwen-vl-max", Messages: withPic, Thinking: true, ThinkingBudget: 5, HighResolution: true, MaxPixels: 1 << 20},
			params:   `{"incremental_output":true,"vl_high_resolution_images":true}`,
			messages: `[{"role":"user","content":[{"image":"` + jpegURI + `"},{"text":"解答这道题"}]}]`},
		{name: "max_pixels beside the image", path: mm,
			req:      llm.Request{Messages: withPic, MaxPixels: 1 << 20},
			params:   `{"incremental_output":true,"enable_thinking":false}`,
			messages: `[{"role":"user","content":[{"image":"` + jpegURI + `","max_pixels":1048576},{"text":"解答这道题"}]}]`},
		{name: "max_pixels clamped to the model's maximum", path: mm,
			req:      llm.Request{Messages: withPic, MaxPixels: 1 << 30},
			params:   `{"incremental_output":true,"enable_thinking":false}`,
			messages: `[{"role":"user","content":[{"image":"` + jpegURI + `","max_pixels":16777216},{"text":"解答这道题"}]}]`},
		{name: "max_pixels clamped to the model's minimum", path: mm,
			req:      llm.Request{Model: "qvq-plus", Messages: withPic, MaxPixels: 10},
			params:   `{"incremental_output":true}`,
			messages: `[{"role":"user","content":[{"image":"` + jpegURI + `","max_pixels":3136},{"text":"解答这道题"}]}]`},
		{name: "unknown model: no thinking or pixel params", path: mm,
			req:    llm.Request{Model: "my-finetune", Messages: withPic, Thinking: true, HighResolution: true, MaxPixels: 1 << 20},
			params: `{"incremental_output":true}`, streamName: "my-finetune"},
		{name: "text model: text-generation, plain strings", path: "/api/v1/services/aigc/text-generation/generation",
			req:    llm.Request{Model: "qwen-plus", System: "sys", Messages: textOnly, Thinking: true, ThinkingBudget: 50, HighResolution: true, MaxPixels: 1 << 20},
			params: `{"result_format":"message","incremental_output":true,"enable_thinking":true,"thinking_budget":50}`,
			messages: `[{"role":"system","content":"sys"},{"role":"user","content":"hi"},` +
				`{"role":"assistant","content":"hello"},{"role":"user","content":"2+2?"}]`},
		{name: "qwen3-max: text, no thinking switch", path: "/api/v1/services/aigc/text-generation/generation",
			req:    llm.Request{Model: "qwen3-max", Messages: textOnly, Thinking: true},
			params: `{"result_format":"message","incremental_output":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, model := sendOne(t, nil, tt.req)
			if got.Path != tt.path {
				t.Errorf("path %s, want %s", got.Path, tt.path)
			}
			if want := obj(t, tt.params); !reflect.DeepEqual(got.Body["parameters"], want) {
				t.Errorf("parameters\n got %v\nwant %v", got.Body["parameters"], want)
			}
			input, _ := got.Body["input"].(map[string]any)
			if tt.messages != "" && !reflect.DeepEqual(input["messages"], obj(t, tt.messages)) {
				t.Errorf("messages\n got %v\nwant %s", input["messages"], tt.messages)
			}
			if tt.streamName != "" && (model != tt.streamName || got.Body["model"] != tt.streamName) {
				t.Errorf("model: stream %q body %v, want %q", model, got.Body["model"], tt.streamName)
			}
			checkNativeHeaders(t, got)
		})
	}
}

func checkNativeHeaders(t *testing.T, r llmtest.Request) {
	t.Helper()
	for k, want := range map[string]string{
		"Authorization":   "Bearer " + llmtest.TestKey,
		"Content-Type":    "application/json",
		"X-Dashscope-Sse": "enable",
		"Accept":          "text/event-stream",
	} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
}

func TestOpenAIRequestShape(t *testing.T) {
	userParts := `[{"type":"image_url","image_url":{"url":"` + jpegURI + `"}},{"type":"text","text":"解答这道题"}]`
	tests := []struct {
		name  string
		param string
		req   llm.Request
		want  string // whole body
	}{
		{name: "dashscope compatible thinking", req: llm.Request{System: "sys", Messages: withPic, Thinking: true,
			ThinkingBudget: 81920, MaxTokens: 10, HighResolution: true},
			want: `{"model":"qwen3-vl-plus","stream":true,"stream_options":{"include_usage":true},"max_tokens":10,
				"enable_thinking":true,"thinking_budget":81920,
				"messages":[{"role":"system","content":"sys"},{"role":"user","content":` + userParts + `}]}`},
		{name: "vllm chat_template_kwargs", param: llm.ThinkingParamTemplate,
			req: llm.Request{Messages: withPic, ThinkingBudget: 5, MaxPixels: 1 << 20},
			want: `{"model":"qwen3-vl-plus","stream":true,"stream_options":{"include_usage":true},
				"chat_template_kwargs":{"enable_thinking":false},
				"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"` + jpegURI + `"},"max_pixels":1048576},{"type":"text","text":"解答这道题"}]}]}`},
		{name: "no thinking switch", param: llm.ThinkingParamNone,
			req: llm.Request{Messages: withPic, Thinking: true, ThinkingBudget: 5, Temperature: f64(0.5)},
			want: `{"model":"qwen3-vl-plus","stream":true,"stream_options":{"include_usage":true},"temperature":0.5,
				"messages":[{"role":"user","content":` + userParts + `}]}`},
		{name: "text model history as strings", req: llm.Request{Model: "qwen-flash", Messages: textOnly},
			want: `{"model":"qwen-flash","stream":true,"stream_options":{"include_usage":true},"enable_thinking":false,
				"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"2+2?"}]}`},
		{name: "qvq folds system", req: llm.Request{Model: "qvq-max", System: "sys", Messages: withPic, Thinking: true},
			want: `{"model":"qvq-max","stream":true,"stream_options":{"include_usage":true},
				"messages":[{"role":"user","content":[{"type":"text","text":"sys"},` + userParts[1:] + `}]}`},
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
			if h := got.Header.Get("X-DashScope-SSE"); h != "" {
				t.Errorf("X-DashScope-SSE sent in openai mode: %q", h)
			}
		})
	}
}

func TestModelRouting(t *testing.T) {
	history := append([]llm.Message{withPic[0], {Role: llm.RoleAssistant, Parts: []llm.Part{llm.TextPart("x=2")}}},
		textOnly[2])
	tests := []struct {
		name      string
		textModel string
		req       llm.Request
		want      string
		path      string
	}{
		{"no images go to the text model", "qwen-plus", llm.Request{Messages: textOnly}, "qwen-plus", "text-generation"},
		{"an image anywhere keeps the vision model", "qwen-plus", llm.Request{Messages: history}, "qwen3-vl-plus", "multimodal-generation"},
		{"no text model configured", "", llm.Request{Messages: textOnly}, "qwen3-vl-plus", "multimodal-generation"},
		{"explicit model wins", "qwen-plus", llm.Request{Model: "qwen3-vl-flash", Messages: textOnly}, "qwen3-vl-flash", "multimodal-generation"},
		{"text model given images falls back to vision", "", llm.Request{Model: "qwen-plus", Messages: withPic}, "qwen3-vl-plus", "multimodal-generation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, model := sendOne(t, func(c *llm.Config) { c.TextModel = tt.textModel }, tt.req)
			if model != tt.want || got.Body["model"] != tt.want {
				t.Errorf("model: stream %q body %v, want %q", model, got.Body["model"], tt.want)
			}
			if want := "/api/v1/services/aigc/" + tt.path + "/generation"; got.Path != want {
				t.Errorf("path %s, want %s", got.Path, want)
			}
		})
	}
}
