package llmtest

import (
	"cmp"
	"encoding/json"
	"fmt"

	"github.com/qwenbot/qwenbot/llm"
)

// Answer scripts a streamed answer: reasoning deltas, then answer deltas,
// then the finish reason with Usage as the final cumulative usage.
type Answer struct {
	Reasoning []string
	Text      []string
	Usage     llm.Usage
	// FinishReason defaults to "stop".
	FinishReason string
}

// NativeAnswer returns native SSE frames streaming the reasoning and answer
// deltas, ending with finish reason "stop" and usage u.
func NativeAnswer(reasoning, answer []string, u llm.Usage) []string {
	return Answer{Reasoning: reasoning, Text: answer, Usage: u}.Native()
}

// OpenAIAnswer returns OpenAI-compatible SSE frames streaming the reasoning
// and answer deltas, the finish reason "stop", a usage chunk and [DONE].
func OpenAIAnswer(reasoning, answer []string, u llm.Usage) []string {
	return Answer{Reasoning: reasoning, Text: answer, Usage: u}.OpenAI()
}

// Native returns the answer as native frames, shaped like seeds/002's
// example: "id:N", "event:result", ":HTTP_STATUS/200", "data:{…}", with
// finish_reason the string "null" until the last frame and cumulative
// usage on every frame.
func (a Answer) Native() []string {
	var frames []string
	n := 0
	add := func(content []map[string]string, reasoning, finish string, u llm.Usage) {
		msg := map[string]any{"role": "assistant", "content": content}
		if reasoning != "" {
			msg["reasoning_content"] = reasoning
		}
		frames = append(frames, NativeFrame(n+1, map[string]any{
			"output": map[string]any{"choices": []any{map[string]any{
				"message": msg, "finish_reason": finish}}},
			"usage":      nativeUsage(u),
			"request_id": "llmtest-request",
		}))
		n++
	}
	for _, r := range a.Reasoning {
		add([]map[string]string{}, r, "null", a.partialUsage(n+1))
	}
	for _, t := range a.Text {
		add([]map[string]string{{"text": t}}, "", "null", a.partialUsage(n+1))
	}
	add([]map[string]string{}, "", cmp.Or(a.FinishReason, "stop"), a.Usage)
	return frames
}

// partialUsage is the usage reported mid-stream after k output frames.
func (a Answer) partialUsage(k int) llm.Usage {
	u := a.Usage
	u.OutputTokens = min(k, u.OutputTokens)
	u.ReasoningTokens = min(k, u.ReasoningTokens)
	u.TotalTokens = u.InputTokens + u.OutputTokens
	return u
}

func nativeUsage(u llm.Usage) map[string]any {
	m := map[string]any{"input_tokens": u.InputTokens, "output_tokens": u.OutputTokens,
		"total_tokens": u.TotalTokens}
	if u.ImageTokens > 0 {
		m["image_tokens"] = u.ImageTokens
	}
	if u.ReasoningTokens > 0 {
		m["output_tokens_details"] = map[string]any{"reasoning_tokens": u.ReasoningTokens}
	}
	return m
}

// NativeFrame returns one native "event:result" frame with id and the JSON
// encoding of payload as data.
func NativeFrame(id int, payload any) string {
	return fmt.Sprintf("id:%d\nevent:result\n:HTTP_STATUS/200\ndata:%s\n\n", id, mustJSON(payload))
}

// NativeErrorEvent returns a native in-stream error frame: "event:error",
// ":HTTP_STATUS/<status>" and {"code","message","request_id"}.
func NativeErrorEvent(id, status int, code, message string) string {
	return fmt.Sprintf("id:%d\nevent:error\n:HTTP_STATUS/%d\ndata:%s\n\n", id, status,
		NativeErrorBody(code, message))
}

// NativeErrorBody returns a native error body {"code","message","request_id"}.
func NativeErrorBody(code, message string) string {
	return mustJSON(map[string]string{"code": code, "message": message, "request_id": "llmtest-request"})
}

// OpenAI returns the answer as OpenAI-compatible chunks, shaped like
// seeds/002's compatible-mode example: a role chunk, reasoning_content
// deltas, content deltas, a finish_reason chunk, a usage chunk with empty
// choices, and "data: [DONE]".
func (a Answer) OpenAI() []string {
	frames := []string{openaiChunk(map[string]any{"role": "assistant", "content": ""}, nil)}
	for _, r := range a.Reasoning {
		frames = append(frames, openaiChunk(map[string]any{"reasoning_content": r}, nil))
	}
	for _, t := range a.Text {
		frames = append(frames, openaiChunk(map[string]any{"content": t}, nil))
	}
	finish := cmp.Or(a.FinishReason, "stop")
	frames = append(frames, openaiChunk(map[string]any{"content": ""}, &finish))
	u := map[string]any{"prompt_tokens": a.Usage.InputTokens,
		"completion_tokens": a.Usage.OutputTokens, "total_tokens": a.Usage.TotalTokens}
	if a.Usage.ImageTokens > 0 {
		u["prompt_tokens_details"] = map[string]any{"image_tokens": a.Usage.ImageTokens}
	}
	if a.Usage.ReasoningTokens > 0 {
		u["completion_tokens_details"] = map[string]any{"reasoning_tokens": a.Usage.ReasoningTokens}
	}
	frames = append(frames, "data: "+mustJSON(map[string]any{"id": "chatcmpl-llmtest",
		"object": "chat.completion.chunk", "choices": []any{}, "usage": u})+"\n\n")
	return append(frames, "data: [DONE]\n\n")
}

func openaiChunk(delta map[string]any, finish *string) string {
	return "data: " + mustJSON(map[string]any{
		"id": "chatcmpl-llmtest", "object": "chat.completion.chunk", "usage": nil,
		"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
	}) + "\n\n"
}

// OpenAIErrorBody returns a compatible-mode error body
// {"error":{"message","type","code"}}.
func OpenAIErrorBody(code, message, typ string) string {
	return mustJSON(map[string]any{"error": map[string]string{"code": code, "message": message, "type": typ}})
}

// OpenAIErrorEvent returns an in-stream error chunk as vLLM sends it.
func OpenAIErrorEvent(code, message, typ string) string {
	return "data: " + OpenAIErrorBody(code, message, typ) + "\n\n"
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("llmtest: encode %T: %v", v, err))
	}
	return string(b)
}
