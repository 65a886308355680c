package llm_test

import (
	"io"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// The fixtures copy the seeds' frames: native_stream.sse is seeds/002's
// native curl example (frames 1, 2, 17, 18, 19, including its "iid:1"
// typo; the "......" elision dropped), openai_stream.sse is seeds/002's
// compatible-mode curl example, and native_thinking.sse wraps seeds/000's
// reasoning-phase and answer-phase payloads in native frames. The seeds'
// text lost the blank lines that end SSE events; the fixtures restore them.
func TestStreamReplaysFixtures(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		protocol  llm.Protocol
		reasoning string
		answer    string
		usage     llm.Usage
	}{
		{"native answer", "native_stream.sse", llm.ProtocolDashScope, "",
			"这张图片的欣赏。这是一个温馨的画面,展示了人与动物之间深厚的情感纽带。",
			llm.Usage{InputTokens: 1276, OutputTokens: 121, ImageTokens: 1247, TotalTokens: 1397}},
		{"native thinking then answer", "native_thinking.sse", llm.ProtocolDashScope, "高", " cm",
			llm.Usage{InputTokens: 433, OutputTokens: 61, ReasoningTokens: 59, ImageTokens: 418, TotalTokens: 494}},
		{"openai answer", "openai_stream.sse", llm.ProtocolOpenAI, "",
			"图中分拍摄的照片。整体氛围显得非常和谐而温馨。",
			llm.Usage{InputTokens: 1276, OutputTokens: 85, TotalTokens: 1361}},
	}
	for _, tt := range tests {
		for _, variant := range []struct {
			name  string
			body  func(string) string
			chunk int
		}{
			{"whole frames", nil, 0},
			{"1-byte chunks", nil, 1},
			{"7-byte chunks", nil, 7},
			{"CRLF 13-byte chunks", crlf, 13},
		} {
			t.Run(tt.name+"/"+variant.name, func(t *testing.T) {
				body := fixture(t, tt.file)
				if variant.body != nil {
					body = variant.body(body)
				}
				srv := llmtest.NewServer(t)
				srv.Enqueue(llmtest.Response{Frames: []string{body}, ChunkSize: variant.chunk})
				cfg := srv.Config()
				cfg.Protocol = tt.protocol
				s, err := ask(t, newClient(t, srv, cfg), llm.Request{})
				if err != nil {
					t.Fatalf("Stream: %v", err)
				}
				r := collect(t, s)
				if r.err != nil {
					t.Fatalf("stream error: %v", r.err)
				}
				if r.reasoning != tt.reasoning || r.answer != tt.answer {
					t.Errorf("reasoning %q answer %q, want %q %q", r.reasoning, r.answer, tt.reasoning, tt.answer)
				}
				if r.done.Kind != llm.EventDone || r.done.FinishReason != "stop" || r.done.Usage != tt.usage {
					t.Errorf("done = %+v, want stop with %+v", r.done, tt.usage)
				}
				checkOrder(t, r.kinds)
			})
		}
	}
}

// checkOrder: reasoning before answer, exactly one done, last.
func checkOrder(t *testing.T, kinds []llm.EventKind) {
	t.Helper()
	seenAnswer := false
	for i, k := range kinds {
		switch k {
		case llm.EventAnswer:
			seenAnswer = true
		case llm.EventReasoning:
			if seenAnswer {
				t.Errorf("reasoning after answer at %d: %v", i, kinds)
			}
		case llm.EventDone:
			if i != len(kinds)-1 {
				t.Errorf("done not last: %v", kinds)
			}
		}
	}
	if len(kinds) == 0 || kinds[len(kinds)-1] != llm.EventDone {
		t.Errorf("no done event: %v", kinds)
	}
}

func TestStreamBuiltAnswers(t *testing.T) {
	u := llm.Usage{InputTokens: 100, OutputTokens: 30, ReasoningTokens: 20, ImageTokens: 64, TotalTokens: 130}
	a := llmtest.Answer{Reasoning: []string{"Let me ", "think."}, Text: []string{"The answer ", "is **42**."}, Usage: u}
	long := llmtest.Answer{Text: []string{strings.Repeat("长", 70<<10) + "end"}, Usage: u}
	tests := []struct {
		name     string
		protocol llm.Protocol
		frames   []string
		chunk    int
		want     llmtest.Answer
	}{
		{"native", llm.ProtocolDashScope, a.Native(), 5, a},
		{"openai", llm.ProtocolOpenAI, a.OpenAI(), 5, a},
		{"native 200 KiB frame", llm.ProtocolDashScope, long.Native(), 4093, long},
		{"openai length", llm.ProtocolOpenAI, llmtest.Answer{Text: []string{"cut"}, Usage: u, FinishReason: "length"}.OpenAI(), 5,
			llmtest.Answer{Text: []string{"cut"}, Usage: u, FinishReason: "length"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(llmtest.Response{Frames: tt.frames, ChunkSize: tt.chunk})
			cfg := srv.Config()
			cfg.Protocol = tt.protocol
			s, err := ask(t, newClient(t, srv, cfg), llm.Request{Thinking: true})
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			r := collect(t, s)
			if r.err != nil {
				t.Fatalf("stream error: %v", r.err)
			}
			wantReasoning, wantAnswer := concat(tt.want.Reasoning), concat(tt.want.Text)
			if r.reasoning != wantReasoning || r.answer != wantAnswer {
				t.Errorf("reasoning %q answer %.40q, want %q %.40q", r.reasoning, r.answer, wantReasoning, wantAnswer)
			}
			finish := tt.want.FinishReason
			if finish == "" {
				finish = "stop"
			}
			if r.done.FinishReason != finish || r.done.Usage != tt.want.Usage {
				t.Errorf("done = %+v, want %s %+v", r.done, finish, tt.want.Usage)
			}
			checkOrder(t, r.kinds)
			if _, err := s.Recv(); err != io.EOF {
				t.Errorf("Recv after done = %v, want io.EOF", err)
			}
		})
	}
}

func concat(parts []string) string { return strings.Join(parts, "") }
