package llm

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// pathChat is the OpenAI-compatible endpoint, relative to the base URL
// (".../compatible-mode/v1/chat/completions", seeds/002).
const pathChat = "/chat/completions"

// openaiBody is a /chat/completions streaming request.
type openaiBody struct {
	Model          string          `json:"model"`
	Messages       []openaiMessage `json:"messages"`
	Stream         bool            `json:"stream"`
	StreamOptions  streamOptions   `json:"stream_options"`
	MaxTokens      int             `json:"max_tokens,omitempty"`
	Temperature    *float64        `json:"temperature,omitempty"`
	TopP           *float64        `json:"top_p,omitempty"`
	EnableThinking *bool           `json:"enable_thinking,omitempty"`
	ThinkingBudget int             `json:"thinking_budget,omitempty"`
	TemplateKwargs map[string]any  `json:"chat_template_kwargs,omitempty"`
}

type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// openaiMessage's Content is a string, or []openaiPart for a vision model's
// user message.
type openaiMessage struct {
	Role    string `json:"role"`
	Content any    `json:"content"`
}

// openaiPart is a content part; max_pixels sits beside image_url
// (seeds/003 example {"type":"image_url","image_url":{…},"max_pixels":…}).
type openaiPart struct {
	Type      string     `json:"type"`
	Text      *string    `json:"text,omitempty"`
	ImageURL  *openaiURL `json:"image_url,omitempty"`
	Video     []string   `json:"video,omitempty"`
	FPS       float64    `json:"fps,omitempty"`
	MaxPixels int        `json:"max_pixels,omitempty"`
}

type openaiURL struct {
	URL string `json:"url"`
}

// openaiRequest builds the /chat/completions body for req on model info,
// its images as refs's placeholders.
// vl_high_resolution_images is never sent: seeds/004 says it works only
// through DashScope's own SDK and HTTP API.
func (c *Client) openaiRequest(info ModelInfo, req *Request, refs *imageRefs) (path string, body any) {
	msgs := req.Messages
	system := req.System
	if info.FoldSystem {
		msgs, system = foldSystem(system, msgs), ""
	}
	var p nativeParams
	applyCommonParams(&p, info, req)
	b := openaiBody{Model: info.Name, Stream: true, StreamOptions: streamOptions{IncludeUsage: true},
		MaxTokens: p.MaxTokens, Temperature: p.Temperature, TopP: p.TopP}
	switch c.cfg.ThinkingParam {
	case ThinkingParamEnable:
		b.EnableThinking, b.ThinkingBudget = p.EnableThinking, p.ThinkingBudget
	case ThinkingParamTemplate:
		if p.EnableThinking != nil {
			b.TemplateKwargs = map[string]any{"enable_thinking": *p.EnableThinking}
		}
	}
	if system != "" {
		b.Messages = append(b.Messages, openaiMessage{Role: "system", Content: system})
	}
	pixels := clampPixels(req.MaxPixels, info)
	for _, m := range msgs {
		om := openaiMessage{Role: string(m.Role), Content: plainText(m.Parts)}
		if info.Vision && m.Role == RoleUser {
			om.Content = openaiParts(m.Parts, pixels, info, refs)
		}
		b.Messages = append(b.Messages, om)
	}
	return pathChat, b
}

// openaiParts converts parts; a video is {"type": "video", "video": [frame,
// …], "fps": …, "max_pixels": …} (seeds/003 "输入图像列表时").
func openaiParts(parts []Part, maxPixels int, info ModelInfo, refs *imageRefs) []openaiPart {
	out := make([]openaiPart, 0, len(parts))
	for _, p := range parts {
		switch {
		case p.Video != nil:
			out = append(out, openaiPart{Type: "video", Video: p.Video.frameURIs(refs), FPS: p.Video.FPS,
				MaxPixels: videoPixels(p.Video.MaxPixels, info)})
		case p.Image != nil:
			out = append(out, openaiPart{Type: "image_url",
				ImageURL: &openaiURL{URL: refs.ref(p.Image)}, MaxPixels: maxPixels})
		case p.Text != "":
			out = append(out, openaiPart{Type: "text", Text: &p.Text})
		}
	}
	return out
}

// openaiChunk is one chat.completion.chunk (seeds/002 streaming example) or
// an in-stream error.
type openaiChunk struct {
	Choices []struct {
		Delta struct {
			Content          *string `json:"content"`
			ReasoningContent *string `json:"reasoning_content"`
			Reasoning        *string `json:"reasoning"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *openaiUsage `json:"usage"`
	Error *openaiError `json:"error"`
}

type openaiUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
	PromptDetails    *struct {
		ImageTokens int `json:"image_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionDetails *struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"completion_tokens_details"`
}

func (u *openaiUsage) usage() Usage {
	out := Usage{InputTokens: u.PromptTokens, OutputTokens: u.CompletionTokens, TotalTokens: u.TotalTokens}
	if u.PromptDetails != nil {
		out.ImageTokens = u.PromptDetails.ImageTokens
	}
	if u.CompletionDetails != nil {
		out.ReasoningTokens = u.CompletionDetails.ReasoningTokens
	}
	if out.TotalTokens == 0 {
		out.TotalTokens = out.InputTokens + out.OutputTokens
	}
	return out
}

// openaiError is {"message","type","code"}; code is a string (DashScope,
// OpenAI) or a number (vLLM).
type openaiError struct {
	Message string          `json:"message"`
	Type    string          `json:"type"`
	Code    json.RawMessage `json:"code"`
}

func (e *openaiError) apiError(status int) *APIError {
	code := strings.Trim(string(e.Code), `"`)
	if code == "null" {
		code = ""
	}
	if n, err := strconv.Atoi(code); err == nil {
		if status == 0 && n >= 100 && n <= 599 {
			status = n
		}
		code = ""
	}
	if code == "" {
		code = e.Type
	}
	return &APIError{Status: statusOr(status, codeStatus(code)), Code: code, Message: e.Message}
}

// codeStatus is the status of an error that came without one (inside the
// stream): a named code is the request's fault (400, not retried) unless it
// names a server-side failure; no code at all is a server error (500).
func codeStatus(code string) int {
	if code == "" {
		return http.StatusInternalServerError
	}
	c := strings.ToLower(code)
	for _, s := range []string{"internal", "server", "unavailable", "timeout", "overload"} {
		if strings.Contains(c, s) {
			return http.StatusInternalServerError
		}
	}
	return http.StatusBadRequest
}

// openaiDecoder turns chat.completion.chunk events into Events. Done is
// emitted at "[DONE]", after the usage chunk that follows the finish reason.
type openaiDecoder struct {
	usage  Usage
	finish string
	done   bool
}

func (d *openaiDecoder) decode(ev sseEvent) ([]Event, error) {
	data := strings.TrimSpace(ev.Data)
	if data == "" {
		return nil, nil
	}
	if data == "[DONE]" {
		d.done = true
		return []Event{{Kind: EventDone, Usage: d.usage, FinishReason: cmp.Or(d.finish, "stop")}}, nil
	}
	var ch openaiChunk
	if err := json.Unmarshal([]byte(data), &ch); err != nil {
		return nil, transient("decode chunk", err)
	}
	if ch.Error != nil {
		return nil, ch.Error.apiError(ev.Status)
	}
	var out []Event
	for _, c := range ch.Choices[:min(1, len(ch.Choices))] {
		if r := c.Delta.ReasoningContent; r != nil && *r != "" {
			out = append(out, Event{Kind: EventReasoning, Text: *r})
		} else if r := c.Delta.Reasoning; r != nil && *r != "" {
			out = append(out, Event{Kind: EventReasoning, Text: *r})
		}
		if t := c.Delta.Content; t != nil && *t != "" {
			out = append(out, Event{Kind: EventAnswer, Text: *t})
		}
		if c.FinishReason != nil && *c.FinishReason != "" {
			d.finish = *c.FinishReason
		}
	}
	if ch.Usage != nil && ch.Usage.usage() != d.usage {
		d.usage = ch.Usage.usage()
		out = append(out, Event{Kind: EventUsage, Usage: d.usage})
	}
	return out, nil
}

// end is called at end of body: servers that skip "[DONE]" are accepted once
// a finish reason arrived.
func (d *openaiDecoder) end() ([]Event, error) {
	if d.done {
		return nil, nil
	}
	if d.finish != "" {
		d.done = true
		return []Event{{Kind: EventDone, Usage: d.usage, FinishReason: d.finish}}, nil
	}
	return nil, transient("read stream", errEndedEarly)
}

func (d *openaiDecoder) finished() bool { return d.done }
