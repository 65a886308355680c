package llm

import (
	"cmp"
	"encoding/json"
	"fmt"
)

// Field is one line of a model's description: what is described and what
// the client does about it.
type Field struct {
	Name, Value string
}

// Explain describes what a Client built from cfg does with the model req
// names (req.Model, else cfg.Model): the capability row it uses (or the
// assumptions, for a model the table does not know), the endpoint, the
// parameters a request carries with thinking on and off, and how images
// are sized, taking req's other settings (ThinkingBudget, MaxTokens,
// MaxPixels, HighResolution …) into account. It sends nothing and needs no
// API key; req.Messages and req.Thinking are ignored.
func (cfg Config) Explain(req Request) []Field {
	cfg = withDefaults(cfg)
	c := &Client{cfg: cfg, models: newModelTable(cfg.Models)}
	req.Model = cmp.Or(req.Model, cfg.Model)
	req.Messages = []Message{{Role: RoleUser, Parts: []Part{ImagePart("image/jpeg", []byte{0})}}}
	info := c.models.lookup(req.Model)
	entry := "family " + info.Family
	if info.Assumed {
		entry = "none; assumed: " + info.Assumptions()
	}
	path, _, _ := c.build(info, &req, nil)
	out := []Field{
		{"model", info.Name},
		{"table entry", entry},
		{"protocol", string(cfg.Protocol)},
		{"endpoint", "POST " + cfg.BaseURL + path},
		{"images", explainImages(info)},
		{"video", yesNo(info.Video, "the model takes video (sent as frames)", "no")},
		{"thinking", c.explainThinking(info)},
	}
	if info.Thinking == ThinkingHybrid {
		on, off := req, req
		on.Thinking, off.Thinking = true, false
		out = append(out, Field{"request, thinking on", c.explainParams(info, &on)},
			Field{"request, thinking off", c.explainParams(info, &off)})
	} else {
		out = append(out, Field{"request", c.explainParams(info, &req)})
	}
	if info.Vision {
		out = append(out, c.explainPixels(info, &req)...)
	}
	return append(out, Field{"system prompt", yesNo(info.FoldSystem,
		"folded into the first user message (the model ignores system messages)", "sent as a system message")})
}

func explainImages(info ModelInfo) string {
	if !info.Vision {
		return "no: text model, images become \"[image]\" (a turn with images goes to llm.model if that one has vision)"
	}
	return fmt.Sprintf("yes, as base64 data URIs; one image token per %d×%d px", info.PatchSize, info.PatchSize)
}

func (c *Client) explainThinking(info ModelInfo) string {
	switch info.Thinking {
	case ThinkingAlways:
		return "always: the model always reasons; enable_thinking is never sent"
	case ThinkingNone:
		return "none: /think has no effect and no thinking parameters are sent"
	}
	s := "hybrid: switched per request, enable_thinking sent true or false"
	if info.ThinksByDefault {
		s += "; the model thinks unless told not to"
	}
	if c.cfg.Protocol == ProtocolOpenAI && c.cfg.ThinkingParam == ThinkingParamNone {
		s += fmt.Sprintf("; but llm.thinking_param = %q sends no switch, so the model's own default applies", ThinkingParamNone)
	}
	return s
}

// explainParams returns the request's parameters as JSON: the native
// "parameters" object, or the OpenAI body without model and messages.
func (c *Client) explainParams(info ModelInfo, req *Request) string {
	_, body, _ := c.build(info, req, nil)
	var v any = body
	switch b := body.(type) {
	case nativeBody:
		v = b.Parameters
	case openaiBody:
		raw, _ := json.Marshal(b)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		delete(m, "model")
		delete(m, "messages")
		v = m
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(raw)
}

func (c *Client) explainPixels(info ModelInfo, req *Request) []Field {
	px := "no max_pixels range known: never sent"
	if info.MaxMaxPixels > 0 {
		px = fmt.Sprintf("accepted %d to %d, default %d", info.MinPixels, info.MaxMaxPixels, info.DefaultMaxPixels)
		highRes := req.HighResolution && info.HighResMaxPixels > 0 && c.cfg.Protocol == ProtocolDashScope
		switch sent := clampPixels(req.MaxPixels, info); {
		case sent > 0 && !highRes:
			px += fmt.Sprintf("; sent beside each image: %d", sent)
		default:
			px += "; not sent"
		}
	}
	hr := "not available for this model: never sent"
	switch {
	case info.HighResMaxPixels > 0 && c.cfg.Protocol == ProtocolOpenAI:
		hr = "vl_high_resolution_images works only with the dashscope protocol: never sent"
	case info.HighResMaxPixels > 0:
		hr = fmt.Sprintf("vl_high_resolution_images raises the cap to %d px; %s", info.HighResMaxPixels,
			yesNo(req.HighResolution, "on", "off"))
	}
	budget := "unknown: images are shrunk to the caller's default budget"
	if b := info.PixelBudget(req.MaxPixels, req.HighResolution); b > 0 {
		budget = fmt.Sprintf("images are shrunk to at most %d px before upload", b)
	}
	return []Field{{"max_pixels", px}, {"high resolution", hr}, {"image budget", budget}}
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
