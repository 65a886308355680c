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
	// ThinkingHybrid: reasoning is switched per request with enable_thinking
	// (qwen3-vl-plus, qwen3-vl-flash and their snapshots; qwen-plus …).
	ThinkingHybrid
	// ThinkingAlways: the model always reasons and enable_thinking is never
	// sent (the *-thinking models, QVQ).
	ThinkingAlways
)

// Model families.
const (
	FamilyQwen3VL = "qwen3-vl"
	FamilyQVQ     = "qvq"
	FamilyQwenVL  = "qwen-vl"
	FamilyText    = "text"
)

// ModelInfo is what the client knows about a model: which endpoint and
// parameters it takes and how it sizes images. Values are from seeds/001
// (thinking models) and seeds/003 (min_pixels, max_pixels,
// vl_high_resolution_images). A zero pixel field means "unknown": the
// corresponding parameter is never sent.
type ModelInfo struct {
	// Name is the model name as requested.
	Name string
	// Family is FamilyQwen3VL, FamilyQVQ, FamilyQwenVL, FamilyText, or ""
	// for a model the table does not know.
	Family   string
	Thinking ThinkingMode
	// Vision models take images and use the multimodal endpoint; others
	// use text-generation with plain-string content.
	Vision bool
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

// builtinModels returns the capability table, keyed by exact lower-case
// name or by a prefix ending in "*".
func builtinModels() map[string]ModelInfo {
	qwen3VL := ModelInfo{Family: FamilyQwen3VL, Vision: true, PatchSize: 32,
		MinPixels: 65536, DefaultMaxPixels: 2621440, MaxMaxPixels: 16777216, HighResMaxPixels: 16777216}
	// qwen-vl-max, qwen-vl-max-latest, -0813, qwen-vl-plus, -latest, -0815,
	// -0710 (seeds/003 max_pixels): 32×32 px per token.
	vl32 := ModelInfo{Family: FamilyQwenVL, Vision: true, PatchSize: 32,
		MinPixels: 4096, DefaultMaxPixels: 1310720, MaxMaxPixels: 16777216, HighResMaxPixels: 16777216}
	// Other qwen-vl snapshots, Qwen2.5-VL and QVQ: 28×28 px per token.
	vl28 := ModelInfo{Family: FamilyQwenVL, Vision: true, PatchSize: 28,
		MinPixels: 3136, DefaultMaxPixels: 1003520, MaxMaxPixels: 12845056, HighResMaxPixels: 12845056}
	qvq := vl28
	qvq.Family, qvq.Thinking, qvq.StreamOnly, qvq.FoldSystem = FamilyQVQ, ThinkingAlways, true, true
	text := ModelInfo{Family: FamilyText}

	m := map[string]ModelInfo{
		"qwen3-vl-plus*":  with(qwen3VL, ThinkingHybrid),
		"qwen3-vl-flash*": with(qwen3VL, ThinkingHybrid),
		"qwen3-vl-*":      qwen3VL,
		"qvq-max*":        qvq,
		"qvq-plus*":       qvq,
		"qwen-vl-max*":    vl28,
		"qwen-vl-plus*":   vl28,
		"qwen2.5-vl-*":    vl28,
		"qwen-plus*":      with(text, ThinkingHybrid),
		"qwen-flash*":     with(text, ThinkingHybrid),
		"qwen-turbo*":     with(text, ThinkingHybrid),
		"qwen-max*":       text,
		"qwen3-max*":      text,
	}
	for _, n := range []string{"qwen3-vl-235b-a22b-thinking", "qwen3-vl-32b-thinking",
		"qwen3-vl-30b-a3b-thinking", "qwen3-vl-8b-thinking"} {
		m[n] = with(qwen3VL, ThinkingAlways)
	}
	for _, n := range []string{"qwen-vl-max", "qwen-vl-max-latest", "qwen-vl-max-0813",
		"qwen-vl-max-2025-08-13", "qwen-vl-plus", "qwen-vl-plus-latest", "qwen-vl-plus-0815",
		"qwen-vl-plus-2025-08-15", "qwen-vl-plus-0710", "qwen-vl-plus-2025-07-10"} {
		m[n] = vl32
	}
	return m
}

func with(m ModelInfo, t ThinkingMode) ModelInfo {
	m.Thinking = t
	return m
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
	return ModelInfo{Name: name, Vision: true, PatchSize: 32}
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
