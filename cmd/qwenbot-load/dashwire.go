package main

import (
	"encoding/base64"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// textItem is one item of native multimodal content.
type textItem struct {
	Text string `json:"text"`
}

// sseFrame is one native "event:result" payload.
type sseFrame struct {
	Output struct {
		Choices []sseChoice `json:"choices"`
	} `json:"output"`
	Usage     sseUsage `json:"usage"`
	RequestID string   `json:"request_id"`
}

type sseChoice struct {
	Message struct {
		Content          []textItem `json:"content"`
		ReasoningContent string     `json:"reasoning_content,omitempty"`
		Role             string     `json:"role"`
	} `json:"message"`
	FinishReason string `json:"finish_reason"`
}

type sseUsage struct {
	InputTokens   int `json:"input_tokens"`
	OutputTokens  int `json:"output_tokens"`
	TotalTokens   int `json:"total_tokens"`
	OutputDetails *struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details,omitempty"`
}

// sseWriter writes one answer's native SSE frames, flushing each.
type sseWriter struct {
	w     io.Writer
	fl    http.Flusher
	id    int
	input int // input tokens, for usage
	think int // reasoning tokens of the answer
	sent  int // output tokens written so far, this frame's included
	buf   []byte
}

// frame writes one frame with content (nil: []), reasoning and the finish
// reason ("null" while streaming), and reports whether it was written.
func (s *sseWriter) frame(content []textItem, reasoning, finish string) bool {
	s.id++
	var f sseFrame
	c := sseChoice{FinishReason: finish}
	c.Message.Content = content
	if c.Message.Content == nil {
		c.Message.Content = []textItem{}
	}
	c.Message.ReasoningContent = reasoning
	c.Message.Role = "assistant"
	f.Output.Choices = []sseChoice{c}
	f.Usage = sseUsage{InputTokens: s.input, OutputTokens: s.sent, TotalTokens: s.input + s.sent}
	if s.think > 0 {
		f.Usage.OutputDetails = &struct {
			ReasoningTokens int `json:"reasoning_tokens"`
		}{min(s.sent, s.think)}
	}
	f.RequestID = "qwenbot-load"
	data, err := json.Marshal(f)
	if err != nil {
		return false
	}
	s.buf = append(s.buf[:0], "id:"...)
	s.buf = strconv.AppendInt(s.buf, int64(s.id), 10)
	s.buf = append(s.buf, "\nevent:result\n:HTTP_STATUS/200\ndata:"...)
	s.buf = append(append(s.buf, data...), "\n\n"...)
	if _, err := s.w.Write(s.buf); err != nil {
		return false
	}
	if s.fl != nil {
		s.fl.Flush()
	}
	return true
}

// nativeRequest is the part of a native request body the fake reads.
type nativeRequest struct {
	Model string `json:"model"`
	Input struct {
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	} `json:"input"`
	Parameters struct {
		EnableThinking *bool `json:"enable_thinking"`
	} `json:"parameters"`
}

// contentItem is one item of native content: text or an image.
type contentItem struct {
	Text  *string `json:"text"`
	Image string  `json:"image"`
}

// items returns a message's content items; text-generation content is a
// plain string.
func items(raw json.RawMessage) []contentItem {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil
		}
		return []contentItem{{Text: &s}}
	}
	var out []contentItem
	if json.Unmarshal(raw, &out) != nil {
		return nil
	}
	return out
}

// inputTokens estimates the request's input tokens as Qwen3-VL counts
// them: each image one token per 32×32 patch plus 2, the text about one
// token per 4 bytes.
func (r *nativeRequest) inputTokens() int {
	textBytes, images := 0, 0
	for _, m := range r.Input.Messages {
		for _, it := range items(m.Content) {
			if it.Text != nil {
				textBytes += len(*it.Text)
			}
			if it.Image != "" {
				images += imageTokens(it.Image)
			}
		}
	}
	return images + (textBytes+3)/4
}

// imageTokens is the tokens of a data URI image: one per 32×32 patch plus
// 2, or 0 for an image it cannot read.
func imageTokens(uri string) int {
	head, data, ok := strings.Cut(uri, ",")
	if !ok || !strings.HasPrefix(head, "data:") || !strings.HasSuffix(head, ";base64") {
		return 0
	}
	src := base64.NewDecoder(base64.StdEncoding, strings.NewReader(data))
	var cfg image.Config
	var err error
	switch {
	case strings.HasPrefix(head, "data:image/png"):
		cfg, err = png.DecodeConfig(src)
	default:
		cfg, err = jpeg.DecodeConfig(src)
	}
	if err != nil {
		return 0
	}
	return ((cfg.Width+31)/32)*((cfg.Height+31)/32) + 2
}

// tag finds the chat and turn named in the last user message.
func (r *nativeRequest) tag() (chat int64, n int, ok bool) {
	msgs := r.Input.Messages
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role != "user" {
			continue
		}
		for _, it := range items(msgs[i].Content) {
			if it.Text == nil {
				continue
			}
			if chat, n, ok := findTag(*it.Text); ok {
				return chat, n, true
			}
		}
		return 0, 0, false
	}
	return 0, 0, false
}

// findTag finds the first "[c<chat>.<n>]" tag in s.
func findTag(s string) (chat int64, n int, ok bool) {
	for {
		i := strings.Index(s, "[c")
		if i < 0 {
			return 0, 0, false
		}
		s = s[i+2:]
		body, _, found := strings.Cut(s, "]")
		cs, ns, dot := strings.Cut(body, ".")
		if !found || !dot {
			continue
		}
		c, cerr := strconv.ParseInt(cs, 10, 64)
		k, kerr := strconv.Atoi(ns)
		if cerr == nil && kerr == nil {
			return c, k, true
		}
	}
}

// tagText is the tag a message of turn n in chat carries.
func tagText(chat int64, n int) string {
	return "[c" + strconv.FormatInt(chat, 10) + "." + strconv.Itoa(n) + "]"
}
