package llm_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// clipParts is a four-frame clip at 2 fps with its question.
func clipParts(maxPixels int) []llm.Part {
	frames := make([]llm.Image, 4)
	for i := range frames {
		frames[i] = llm.Image{MIME: "image/jpeg", Data: jpeg}
	}
	return []llm.Part{llm.VideoPart(frames, 2, maxPixels), llm.TextPart("解答这道题")}
}

func frameList() string {
	return `["` + strings.Repeat(jpegURI+`","`, 3) + jpegURI + `"]`
}

func TestVideoRequestShapeNative(t *testing.T) {
	tests := []struct {
		name, model string
		maxPixels   int
		want        string // the user message's content
	}{
		{"frames, fps and per-frame pixels", "", 655360,
			`[{"video":` + frameList() + `,"fps":2,"max_pixels":655360},{"text":"解答这道题"}]`},
		{"per-frame pixels clamped to plus's video maximum", "qwen3-vl-plus", 1 << 24,
			`[{"video":` + frameList() + `,"fps":2,"max_pixels":2048000},{"text":"解答这道题"}]`},
		{"open model's smaller maximum", "qwen3-vl-8b-instruct", 1 << 24,
			`[{"video":` + frameList() + `,"fps":2,"max_pixels":786432},{"text":"解答这道题"}]`},
		{"no max_pixels when not set", "", 0,
			`[{"video":` + frameList() + `,"fps":2},{"text":"解答这道题"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := llm.Request{Model: tt.model, Messages: []llm.Message{{Role: llm.RoleUser, Parts: clipParts(tt.maxPixels)}}}
			got, _ := sendOne(t, nil, req)
			input, _ := got.Body["input"].(map[string]any)
			msgs, _ := input["messages"].([]any)
			if len(msgs) != 1 {
				t.Fatalf("messages %v", input["messages"])
			}
			content := msgs[0].(map[string]any)["content"]
			if want := obj(t, tt.want); !reflect.DeepEqual(content, want) {
				t.Errorf("content\n got %v\nwant %s", content, tt.want)
			}
		})
	}
}

func TestVideoRequestShapeOpenAI(t *testing.T) {
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Parts: clipParts(655360)}}}
	got, _ := sendOne(t, func(c *llm.Config) { c.Protocol = llm.ProtocolOpenAI }, req)
	want := `[{"role":"user","content":[{"type":"video","video":` + frameList() +
		`,"fps":2,"max_pixels":655360},{"type":"text","text":"解答这道题"}]}]`
	if !reflect.DeepEqual(got.Body["messages"], obj(t, want)) {
		t.Errorf("messages\n got %s\nwant %s", got.Raw, want)
	}
}

func TestVideoValidation(t *testing.T) {
	frames := func(n int) []llm.Image {
		out := make([]llm.Image, n)
		for i := range out {
			out[i] = llm.Image{MIME: "image/jpeg", Data: jpeg}
		}
		return out
	}
	tests := []struct {
		name string
		part llm.Part
		want string
	}{
		{"too few frames", llm.VideoPart(frames(3), 2, 0), "3 frames"},
		{"too many frames", llm.VideoPart(frames(513), 2, 0), "513 frames"},
		{"fps below 0.1", llm.VideoPart(frames(4), 0.05, 0), "fps"},
		{"fps above 10", llm.VideoPart(frames(4), 11, 0), "fps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			_, err := ask(t, newClient(t, srv, srv.Config()), llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{tt.part}}}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestFrameBudget(t *testing.T) {
	srv := llmtest.NewServer(t)
	plus := newClient(t, srv, srv.Config()).Model("qwen3-vl-plus")
	tests := []struct {
		name      string
		want, n   int
		wantPixel int
	}{
		{"model default", 0, 8, 655360},
		{"asked within range", 1 << 20, 8, 1 << 20},
		{"asked over the maximum", 1 << 24, 8, 2048000},
		{"total shared by many frames", 0, 512, 134217728 / 512},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plus.FrameBudget(tt.want, tt.n); got != tt.wantPixel {
				t.Errorf("FrameBudget(%d, %d) = %d, want %d", tt.want, tt.n, got, tt.wantPixel)
			}
		})
	}
}
