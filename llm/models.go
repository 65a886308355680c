package llm

import (
	"sort"
	"strings"
)

// ThinkingMode says whether and how a model reasons before answering.
type ThinkingMode int

// Thinking modes.
const (
	// ThinkingNone: the model never reasons; no thinking parameters are sent.
	ThinkingNone ThinkingMode = iota
	// ThinkingHybrid: reasoning is switched per request with enable_thinking,
	// which the client always sends, true or false (qwen3-vl-plus,
	// qwen3-vl-flash and their snapshots; Qwen3.5 and Qwen3.6; qwen-plus …).
	ThinkingHybrid
	// ThinkingAlways: the model always reasons and enable_thinking is never
	// sent (the *-thinking models, QVQ).
	ThinkingAlways
)

// Model families.
const (
	FamilyQwen3VL = "qwen3-vl"
	// FamilyQwen35 and FamilyQwen36 are the natively vision-language
	// Qwen3.5 (February 2026) and Qwen3.6 series.
	FamilyQwen35 = "qwen3.5"
	FamilyQwen36 = "qwen3.6"
	FamilyQVQ    = "qvq"
	FamilyQwenVL = "qwen-vl"
	FamilyText   = "text"
)

// ModelInfo is what the client knows about a model: which endpoint and
// parameters it takes and how it sizes images. The sources of the values
// are cited beside the table (models_table.go). A zero pixel field means
// "unknown": the corresponding parameter is never sent.
type ModelInfo struct {
	// Name is the model name as requested.
	Name string
	// Family is one of the Family constants, or "" for a model the table
	// does not know.
	Family   string
	Thinking ThinkingMode
	// ThinksByDefault: a hybrid model that reasons when enable_thinking is
	// not sent (Qwen3.5, Qwen3.6). The client sends enable_thinking=false
	// to hybrid models whenever thinking is off, so this matters only
	// where no thinking switch can be sent (ThinkingParamNone).
	ThinksByDefault bool
	// Assumed is true when no table entry matched the name: every other
	// field is then the client's guess (see Assumptions).
	Assumed bool
	// Vision models take images and use the multimodal endpoint; others
	// use text-generation with plain-string content.
	Vision bool
	// Video models also take video input as a list of frames.
	Video bool
	// StreamOnly models reject non-streaming calls (QVQ). The client always
	// streams; the flag is informational.
	StreamOnly bool
	// FoldSystem models ignore the system message (QVQ: "设置 System
	// Message不会生效"), so the system prompt is folded into the first user
	// message.
	FoldSystem bool
	// PatchSize is the side in pixels of the square one image token covers:
	// 32 for Qwen3-VL and current qwen-vl-max/-plus, 28 for older Qwen-VL
	// snapshots, Qwen2.5-VL and QVQ.
	PatchSize int
	// MinPixels is min_pixels' default and minimum for images.
	MinPixels int
	// DefaultMaxPixels is max_pixels' default: images above it are shrunk
	// by the server, so callers should shrink them first.
	DefaultMaxPixels int
	// MaxMaxPixels is the largest max_pixels accepted.
	MaxMaxPixels int
	// HighResMaxPixels is the fixed pixel cap with vl_high_resolution_images
	// (16384 tokens × PatchSize²); zero if the model lacks the parameter.
	HighResMaxPixels int
	// VideoMinPixels, VideoDefaultPixels and VideoMaxPixels are
	// min_pixels' minimum and max_pixels' default and maximum for video
	// frames; VideoTotalPixels is total_pixels' default, the pixels of all
	// of a clip's frames together (seeds/003). Zero when unknown.
	VideoMinPixels, VideoDefaultPixels, VideoMaxPixels, VideoTotalPixels int
}

// FrameBudget is the most pixels each of n video frames needs: want
// (positive) or the model's default, bounded by the model's maximum and
// by its total for n frames, never below its minimum. Zero means the
// model's video budget is unknown and want is not positive.
func (m ModelInfo) FrameBudget(want, n int) int {
	px := want
	if px <= 0 {
		px = m.VideoDefaultPixels
	}
	if m.VideoMaxPixels > 0 {
		px = min(px, m.VideoMaxPixels)
	}
	if m.VideoTotalPixels > 0 && n > 0 {
		px = min(px, m.VideoTotalPixels/n)
	}
	if px > 0 {
		px = max(px, m.VideoMinPixels)
	}
	return px
}

// PixelBudget is the most pixels an image sent to this model needs:
// maxPixels when it is set (positive), else the model's high-resolution
// cap when highRes is asked for and the model has one, else its default.
// Zero means the model's budget is unknown.
func (m ModelInfo) PixelBudget(maxPixels int, highRes bool) int {
	switch {
	case maxPixels > 0:
		return maxPixels
	case highRes && m.HighResMaxPixels > 0:
		return m.HighResMaxPixels
	}
	return m.DefaultMaxPixels
}

// modelTable resolves names against overrides, then the built-in table.
type modelTable struct {
	layers []map[string]ModelInfo // highest priority first; keys lower-case
}

func newModelTable(overrides map[string]ModelInfo) modelTable {
	lower := make(map[string]ModelInfo, len(overrides))
	for k, v := range overrides {
		lower[strings.ToLower(k)] = v
	}
	return modelTable{layers: []map[string]ModelInfo{lower, builtinModels()}}
}

// lookup returns the capabilities of name. Matching is case-insensitive and
// ignores an organisation prefix ("Qwen/Qwen3-VL-8B-Instruct" as served by
// vLLM). An exact key beats the longest matching prefix key; a model no key
// matches is assumed to be a vision model with no thinking switch and no
// pixel parameters.
func (t modelTable) lookup(name string) ModelInfo {
	key := strings.ToLower(name)
	if i := strings.LastIndex(key, "/"); i >= 0 {
		key = key[i+1:]
	}
	for _, layer := range t.layers {
		if info, ok := matchModel(layer, key); ok {
			info.Name = name
			if info.Family == FamilyQwen3VL && info.Thinking == ThinkingNone &&
				strings.Contains(key, "-thinking") {
				info.Thinking = ThinkingAlways
			}
			return info
		}
	}
	return ModelInfo{Name: name, Assumed: true, Vision: true, PatchSize: 32}
}

// Assumptions says in one line what the client assumes about a model the
// table does not know, for a log line or an operator's check.
func (m ModelInfo) Assumptions() string {
	if !m.Assumed {
		return ""
	}
	return "vision model on the multimodal endpoint (images as data URIs, 32x32 px per image token); " +
		"no thinking switch (enable_thinking and thinking_budget are never sent, so /think does nothing); " +
		"no pixel parameters (max_pixels and vl_high_resolution_images are never sent; images are shrunk to the configured max_pixels, else the image pipeline's default)"
}

func matchModel(layer map[string]ModelInfo, key string) (ModelInfo, bool) {
	if info, ok := layer[key]; ok {
		return info, true
	}
	var prefixes []string
	for k := range layer {
		if p, ok := strings.CutSuffix(k, "*"); ok && strings.HasPrefix(key, p) {
			prefixes = append(prefixes, p)
		}
	}
	if len(prefixes) == 0 {
		return ModelInfo{}, false
	}
	sort.Slice(prefixes, func(i, j int) bool { return len(prefixes[i]) > len(prefixes[j]) })
	return layer[prefixes[0]+"*"], true
}
