package main

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/llm"
)

// streamFromFake asks the fake DashScope through the real llm client and
// returns the reasoning, the answer and the last usage.
func streamFromFake(t *testing.T, f *fakeLLM, req llm.Request) (string, string, llm.Usage) {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c, err := llm.New(llm.Config{BaseURL: srv.URL, APIKey: fakeAPIKey, Model: defaultModel}, srv.Client(), nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var reasoning, answer strings.Builder
	var usage llm.Usage
	for {
		ev, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return reasoning.String(), answer.String(), usage
		}
		if err != nil {
			t.Fatal(err)
		}
		switch ev.Kind {
		case llm.EventReasoning:
			reasoning.WriteString(ev.Text)
		case llm.EventAnswer:
			answer.WriteString(ev.Text)
		case llm.EventUsage, llm.EventDone:
			if ev.Usage != (llm.Usage{}) {
				usage = ev.Usage
			}
		}
	}
}

func TestFakeLLMStreamsThroughTheRealClient(t *testing.T) {
	c := &simChat{id: 42}
	rec := newTurn(c, 3, 60)
	c.track(rec, 1)
	f := &fakeLLM{
		now: time.Now,
		lookup: func(chat int64, n int) *turnRec {
			if chat == 42 && n == 3 {
				return rec
			}
			return nil
		},
		profile: func(int64) streamProfile { return streamProfile{perToken: time.Millisecond, think: 7, answer: 60} },
	}
	question := "What is 2+2? " + tagText(42, 3)
	reasoning, answer, usage := streamFromFake(t, f, llm.Request{Thinking: true,
		Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{llm.TextPart(question)}}}})
	if want := tokenText('r', 1, 7); reasoning != want {
		t.Errorf("reasoning = %q, want %q", reasoning, want)
	}
	if want := tokenText('x', 1, 60); answer != want {
		t.Errorf("answer = %q, want %q", answer, want)
	}
	if usage.OutputTokens != 67 || usage.ReasoningTokens != 7 || usage.InputTokens == 0 {
		t.Errorf("usage = %+v", usage)
	}
	st := rec.stats()
	if st.inputTokens != usage.InputTokens {
		t.Errorf("turn input tokens = %d, usage says %d", st.inputTokens, usage.InputTokens)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.firstToken.IsZero() || len(rec.chunks) == 0 || rec.chunks[len(rec.chunks)-1].upto != 60 {
		t.Errorf("frames not recorded: first token %v, chunks %v", rec.firstToken, rec.chunks)
	}
}

func TestFakeLLMSkipsReasoningWithoutThinking(t *testing.T) {
	f := &fakeLLM{
		now:     time.Now,
		lookup:  func(int64, int) *turnRec { return nil },
		profile: func(int64) streamProfile { return streamProfile{think: 50, answer: 5} },
	}
	reasoning, answer, _ := streamFromFake(t, f, llm.Request{
		Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{llm.TextPart("hi")}}}})
	if reasoning != "" || answer != tokenText('x', 1, 5) {
		t.Errorf("reasoning %q, answer %q", reasoning, answer)
	}
}

func TestInputTokensCountImagesAndText(t *testing.T) {
	photo, err := imageMaker{width: 100, height: 64}.make(1)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeLLM{
		now:     time.Now,
		lookup:  func(int64, int) *turnRec { return nil },
		profile: func(int64) streamProfile { return streamProfile{answer: 1} },
	}
	text := strings.Repeat("abcd", 10) // 40 bytes: 10 tokens
	_, _, usage := streamFromFake(t, f, llm.Request{System: "sys.", Messages: []llm.Message{
		{Role: llm.RoleUser, Parts: []llm.Part{llm.ImagePart("image/jpeg", photo), llm.TextPart(text)}}}})
	// 100×64 px: 4×2 patches + 2; text: 40 + 4 bytes → 11.
	if want := 4*2 + 2 + 11; usage.InputTokens != want {
		t.Errorf("input tokens = %d, want %d", usage.InputTokens, want)
	}
}

func TestAnswerTokenCount(t *testing.T) {
	tests := []struct {
		text  string
		want  int
		model bool
	}{
		{"⏳ Thinking…", 0, false},
		{"<blockquote expandable>r1 r2 r3</blockquote>", 0, true},
		{"x1 x2 x3", 3, true},
		{"x1 x2\n\nx51 x52 <i>stopped</i>", 52, true},
		{"box12 x7a fix9", 0, false},
		{"(x12)", 12, true},
	}
	for i, tc := range tests {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			got, model := answerTokenCount(tc.text)
			if got != tc.want || model != tc.model {
				t.Errorf("answerTokenCount(%q) = %d, %v; want %d, %v", tc.text, got, model, tc.want, tc.model)
			}
		})
	}
}

func TestFindTag(t *testing.T) {
	tests := []struct {
		text string
		chat int64
		n    int
		ok   bool
	}{
		{"Student: hi " + tagText(-1000000000007, 12), -1000000000007, 12, true},
		{"[caption] then " + tagText(5, 1), 5, 1, true},
		{"no tag [c1] [cx.2]", 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			chat, n, ok := findTag(tc.text)
			if chat != tc.chat || n != tc.n || ok != tc.ok {
				t.Errorf("findTag = %d, %d, %v", chat, n, ok)
			}
		})
	}
}
