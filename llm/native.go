package llm

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Native endpoints (seeds/002, seeds/003).
const (
	pathMultimodal = "/api/v1/services/aigc/multimodal-generation/generation"
	pathText       = "/api/v1/services/aigc/text-generation/generation"
)

// nativeBody is the request body of both native endpoints.
type nativeBody struct {
	Model      string       `json:"model"`
	Input      nativeInput  `json:"input"`
	Parameters nativeParams `json:"parameters"`
}

type nativeInput struct {
	Messages []nativeMessage `json:"messages"`
}

// nativeMessage's Content is []nativeContent on the multimodal endpoint and
// a plain string on text-generation.
type nativeMessage struct {
	Role    string `json:"role"`
	Content any    `json:"content"`
}

// nativeContent is one item of multimodal content; max_pixels sits beside
// the image it applies to (seeds/003: max_pixels is a property of the
// content item, like "image" and "text").
type nativeContent struct {
	Text      *string  `json:"text,omitempty"`
	Image     string   `json:"image,omitempty"`
	Video     []string `json:"video,omitempty"`
	FPS       float64  `json:"fps,omitempty"`
	MaxPixels int      `json:"max_pixels,omitempty"`
}

// nativeParams: every field is placed in "parameters" (seeds/003: "通过HTTP
// 调用时,请将 … 放入 parameters 对象中").
type nativeParams struct {
	ResultFormat      string   `json:"result_format,omitempty"`
	IncrementalOutput bool     `json:"incremental_output"`
	EnableThinking    *bool    `json:"enable_thinking,omitempty"`
	ThinkingBudget    int      `json:"thinking_budget,omitempty"`
	MaxTokens         int      `json:"max_tokens,omitempty"`
	Temperature       *float64 `json:"temperature,omitempty"`
	TopP              *float64 `json:"top_p,omitempty"`
	HighRes           bool     `json:"vl_high_resolution_images,omitempty"`
}

// nativeRequest builds the body and endpoint path for req on model info,
// its images as refs's placeholders.
func nativeRequest(info ModelInfo, req *Request, refs *imageRefs) (path string, body any) {
	msgs := req.Messages
	system := req.System
	if info.FoldSystem {
		msgs, system = foldSystem(system, msgs), ""
	}
	p := nativeParams{IncrementalOutput: true}
	applyCommonParams(&p, info, req)
	b := nativeBody{Model: info.Name, Parameters: p}
	if !info.Vision {
		// Text models: plain-string content and result_format "message"
		// (seeds/003 text-generation examples).
		b.Parameters.ResultFormat = "message"
		if system != "" {
			b.Input.Messages = append(b.Input.Messages, nativeMessage{Role: "system", Content: system})
		}
		for _, m := range msgs {
			b.Input.Messages = append(b.Input.Messages, nativeMessage{Role: string(m.Role), Content: plainText(m.Parts)})
		}
		return pathText, b
	}
	// vl_high_resolution_images fixes the pixel cap where the model has it;
	// elsewhere max_pixels still applies.
	highRes := info.HighResMaxPixels > 0 && req.HighResolution
	b.Parameters.HighRes = highRes
	pixels := 0
	if !highRes {
		pixels = clampPixels(req.MaxPixels, info)
	}
	if system != "" {
		b.Input.Messages = append(b.Input.Messages,
			nativeMessage{Role: "system", Content: []nativeContent{{Text: &system}}})
	}
	for _, m := range msgs {
		b.Input.Messages = append(b.Input.Messages,
			nativeMessage{Role: string(m.Role), Content: nativeParts(m.Parts, pixels, info, refs)})
	}
	return pathMultimodal, b
}

// nativeParts converts parts; a video is {"video": [frame, …], "fps": …,
// "max_pixels": …} (seeds/003 "图像列表传入").
func nativeParts(parts []Part, maxPixels int, info ModelInfo, refs *imageRefs) []nativeContent {
	out := make([]nativeContent, 0, len(parts))
	for _, p := range parts {
		switch {
		case p.Video != nil:
			out = append(out, nativeContent{Video: p.Video.frameURIs(refs), FPS: p.Video.FPS,
				MaxPixels: videoPixels(p.Video.MaxPixels, info)})
		case p.Image != nil:
			out = append(out, nativeContent{Image: refs.ref(p.Image), MaxPixels: maxPixels})
		case p.Text != "":
			out = append(out, nativeContent{Text: &p.Text})
		}
	}
	return out
}

// applyCommonParams sets the thinking and sampling parameters allowed for
// the model (seeds/001, seeds/003): enable_thinking only on hybrid models;
// thinking_budget only while Qwen3-VL or Qwen3 text models think; no
// temperature/top_p for QVQ ("不建议修改QVQ模型的默认 temperature 值").
func applyCommonParams(p *nativeParams, info ModelInfo, req *Request) {
	if info.Thinking == ThinkingHybrid {
		on := req.Thinking
		p.EnableThinking = &on
	}
	if thinks(info, req) && budgeted(info) {
		p.ThinkingBudget = req.ThinkingBudget
	}
	p.MaxTokens = req.MaxTokens
	if info.Family != FamilyQVQ {
		p.Temperature, p.TopP = req.Temperature, req.TopP
	}
}

// thinks reports whether the model will reason for req.
func thinks(info ModelInfo, req *Request) bool {
	return info.Thinking == ThinkingAlways || (info.Thinking == ThinkingHybrid && req.Thinking)
}

// budgeted reports whether the model takes thinking_budget ("thinking_budget
// 参数仅支持Qwen3-VL(思考模式)"; Qwen3 text models, Qwen3.5 and Qwen3.6
// too).
func budgeted(info ModelInfo) bool {
	switch info.Family {
	case FamilyQwen3VL, FamilyText, FamilyQwen35, FamilyQwen36:
		return true
	}
	return false
}

// nativeFrame is one native SSE data payload (seeds/002 streaming example,
// seeds/000 response structure).
type nativeFrame struct {
	Output struct {
		Text         *string `json:"text"`
		FinishReason *string `json:"finish_reason"`
		Choices      []struct {
			FinishReason *string `json:"finish_reason"`
			Message      struct {
				Content          json.RawMessage `json:"content"`
				ReasoningContent string          `json:"reasoning_content"`
			} `json:"message"`
		} `json:"choices"`
	} `json:"output"`
	Usage     *nativeUsage `json:"usage"`
	RequestID string       `json:"request_id"`
	Code      string       `json:"code"`
	Message   string       `json:"message"`
}

type nativeUsage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
	TotalTokens  int `json:"total_tokens"`
	ImageTokens  int `json:"image_tokens"`
	InputDetails *struct {
		ImageTokens int `json:"image_tokens"`
	} `json:"input_tokens_details"`
	OutputDetails *struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
}

func (u *nativeUsage) usage() Usage {
	out := Usage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens,
		TotalTokens: u.TotalTokens, ImageTokens: u.ImageTokens}
	if out.ImageTokens == 0 && u.InputDetails != nil {
		out.ImageTokens = u.InputDetails.ImageTokens
	}
	if u.OutputDetails != nil {
		out.ReasoningTokens = u.OutputDetails.ReasoningTokens
	}
	if out.TotalTokens == 0 {
		out.TotalTokens = out.InputTokens + out.OutputTokens
	}
	return out
}

// contentText extracts text from content that is either a list of
// {"text": …} items (multimodal) or a string (text-generation).
func contentText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var items []struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return "", err
	}
	var text string
	for _, it := range items {
		text += it.Text
	}
	return text, nil
}

// nativeDecoder turns native SSE events into Events.
type nativeDecoder struct {
	usage Usage
	done  bool
}

func (d *nativeDecoder) decode(ev sseEvent) ([]Event, error) {
	if ev.Event == "error" || ev.Status >= 400 {
		return nil, nativeEventError(ev)
	}
	if ev.Data == "" {
		return nil, nil
	}
	var f nativeFrame
	if err := json.Unmarshal([]byte(ev.Data), &f); err != nil {
		return nil, transient("decode frame", err)
	}
	if f.Code != "" {
		return nil, &APIError{Status: statusOr(ev.Status, 500), Code: f.Code, Message: f.Message, RequestID: f.RequestID}
	}
	var out []Event
	finish := ""
	if f.Output.Text != nil && *f.Output.Text != "" {
		out = append(out, Event{Kind: EventAnswer, Text: *f.Output.Text})
	}
	if f.Output.FinishReason != nil {
		finish = *f.Output.FinishReason
	}
	for _, ch := range f.Output.Choices[:min(1, len(f.Output.Choices))] {
		if r := ch.Message.ReasoningContent; r != "" {
			out = append(out, Event{Kind: EventReasoning, Text: r})
		}
		text, err := contentText(ch.Message.Content)
		if err != nil {
			return nil, transient("decode content", err)
		}
		if text != "" {
			out = append(out, Event{Kind: EventAnswer, Text: text})
		}
		if ch.FinishReason != nil {
			finish = *ch.FinishReason
		}
	}
	if f.Usage != nil && f.Usage.usage() != d.usage {
		d.usage = f.Usage.usage()
		out = append(out, Event{Kind: EventUsage, Usage: d.usage})
	}
	if finish != "" && finish != "null" {
		d.done = true
		out = append(out, Event{Kind: EventDone, Usage: d.usage, FinishReason: finish})
	}
	return out, nil
}

// end is called at end of body: the native stream has no terminator, so a
// body that ends before a finish reason was cut short.
func (d *nativeDecoder) end() ([]Event, error) {
	if d.done {
		return nil, nil
	}
	return nil, transient("read stream", errEndedEarly)
}

func (d *nativeDecoder) finished() bool { return d.done }

// nativeEventError converts an "event:error" (":HTTP_STATUS/4xx" plus
// {"code","message","request_id"}) into an *APIError.
func nativeEventError(ev sseEvent) error {
	e := &APIError{Status: statusOr(ev.Status, 500)}
	var body struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal([]byte(ev.Data), &body); err != nil {
		e.Message = truncate(ev.Data, 512)
		return e
	}
	e.Code, e.Message, e.RequestID = body.Code, body.Message, body.RequestID
	return e
}

func statusOr(status, def int) int {
	if status != 0 {
		return status
	}
	return def
}

// truncate shortens s to about n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:cut], len(s))
}
