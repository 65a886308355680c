package llm

// Sources of the capability table.
//
// Qwen3-VL, QVQ and Qwen-VL: seeds/001 (visual reasoning: which models are
// hybrid and which think always), seeds/003 (min_pixels, max_pixels,
// vl_high_resolution_images).
//
// Qwen3.5 and Qwen3.6 (2026), from the Model Studio pages read for this
// table:
//   - https://help.aliyun.com/zh/model-studio/deep-thinking and
//     https://www.alibabacloud.com/help/en/model-studio/deep-thinking
//     (updated 2026-06-18): hybrid thinking is switched per request with
//     enable_thinking; "Qwen3.5 系列的 DashScope API采用多模态接口" — the
//     text-generation endpoint answers "url error", so the native protocol
//     must use multimodal-generation (which every Vision model here does);
//     the newest English page (help.aliyun.com/en/...) shows the DashScope
//     call as MultiModalConversation.call.
//   - https://help.aliyun.com/en/model-studio/add-vision-skill and
//     https://www.alibabacloud.com/help/en/model-studio/add-vision-skill:
//     qwen3.6-plus and qwen3.5-plus take images natively, "pass images
//     directly".
//   - https://help.aliyun.com/zh/model-studio/user-guide/vision and
//     https://www.alibabacloud.com/help/tc/model-studio/vision: the image
//     request shape ("image_url" parts in compatible mode), shown there for
//     qwen3-vl-plus; Qwen3.5/3.6 take the same parts (add-vision-skill).
//
// Facts not found on those pages, and where they come from instead:
//   - Thinking on by default for qwen3.5-plus/-flash: Tencent TokenHub's Qwen
//     guide (https://cloud.tencent.com/document/product/1823/132247: "默认
//     开启", enable_thinking to switch, image_url and video_url input), the
//     Qwen Cloud text guide sourced from docs.qwencloud.com ("qwen3.5-plus
//     … thinking on by default") and the Qwen3.5 open-weight model cards
//     (thinking by default, except Qwen3.5-0.8B: "operates in non-thinking
//     mode by default"). Qwen3.6 is taken to behave as Qwen3.5; the client
//     sends enable_thinking both ways, so only ThinkingParamNone depends
//     on it.
//   - Pixels: the open-weight Qwen3.5/3.6 preprocessor_config.json is
//     Qwen3-VL's (patch 16 × merge 2 = 32 px per token, shortest_edge 65536,
//     longest_edge 16777216), so Qwen3-VL's min and max apply; the default
//     max_pixels (2621440) is Qwen3-VL's, assumed. vl_high_resolution_images
//     is not documented for these models, so it is never sent
//     (HighResMaxPixels 0): set llm.max_pixels up to 16777216 instead.
//   - thinking_budget: sent while thinking, as for Qwen3-VL. models.dev's
//     Model Studio data (github.com/anomalyco/models.dev,
//     providers/alibaba/models/qwen3.5-plus.toml) lists a 1..81920 budget
//     for qwen3.5-plus/-flash; for qwen3.6 it lists only the on/off switch,
//     so the budget there is assumed.
//   - Names (seen in public client code and models.dev): snapshots
//     qwen3.5-plus-2026-02-15, qwen3.5-flash-2026-02-23,
//     qwen3.6-plus-2026-04-02, qwen3.6-flash-2026-04-16 and the open
//     weights (Qwen/Qwen3.5-397B-A17B, -122B-A10B, -35B-A3B, -27B, -9B,
//     -4B, -2B, -0.8B; Qwen/Qwen3.6-27B, -35B-A3B) as served by vLLM and
//     SGLang (organisation prefix dropped by lookup) and Ollama
//     ("qwen3.5:27b").
//
// Not in the table: Qwen3.7 and Qwen3.8, which the deep-thinking page
// already lists; qwen3.7-max takes text only while qwen3.7-flash takes
// images, so no family rule is safe without their own page. They are
// assumed, with a warning.

// builtinModels returns the capability table, keyed by exact lower-case
// name or by a prefix ending in "*".
func builtinModels() map[string]ModelInfo {
	// Video frames (seeds/003 max_pixels "输入视频文件或图像列表", and
	// total_pixels): open Qwen3-VL models 655,360 by default, at most
	// 786,432, 67,108,864 in all; qwen3-vl-plus/-flash and the 235B models
	// at most 2,048,000, 134,217,728 in all (see videoPlus).
	qwen3VL := ModelInfo{Family: FamilyQwen3VL, Vision: true, Video: true, PatchSize: 32,
		MinPixels: 65536, DefaultMaxPixels: 2621440, MaxMaxPixels: 16777216, HighResMaxPixels: 16777216,
		VideoMinPixels: 4096, VideoDefaultPixels: 655360, VideoMaxPixels: 786432, VideoTotalPixels: 67108864}
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
		"qwen3-vl-plus*":  videoPlus(with(qwen3VL, ThinkingHybrid)),
		"qwen3-vl-flash*": videoPlus(with(qwen3VL, ThinkingHybrid)),
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
	m["qwen3-vl-235b-a22b-thinking"] = videoPlus(m["qwen3-vl-235b-a22b-thinking"])
	m["qwen3-vl-235b-a22b-instruct"] = videoPlus(qwen3VL)
	for _, n := range []string{"qwen-vl-max", "qwen-vl-max-latest", "qwen-vl-max-0813",
		"qwen-vl-max-2025-08-13", "qwen-vl-plus", "qwen-vl-plus-latest", "qwen-vl-plus-0815",
		"qwen-vl-plus-2025-08-15", "qwen-vl-plus-0710", "qwen-vl-plus-2025-07-10"} {
		m[n] = vl32
	}
	addQwen2026(m, qwen3VL)
	return m
}

// addQwen2026 adds the Qwen3.5 and Qwen3.6 series: natively vision-language
// hybrid thinkers, on by default, with Qwen3-VL's image tokens but no
// vl_high_resolution_images. Prefix keys take the dated snapshots and
// quantised variants (qwen3.5-plus-2026-02-15, Qwen/Qwen3.5-27B-FP8).
func addQwen2026(m map[string]ModelInfo, qwen3VL ModelInfo) {
	v := qwen3VL
	v.Thinking, v.ThinksByDefault, v.HighResMaxPixels = ThinkingHybrid, true, 0
	// Their video frame limits are not in the seeds: unknown.
	v.VideoMinPixels, v.VideoDefaultPixels, v.VideoMaxPixels, v.VideoTotalPixels = 0, 0, 0, 0
	q35, q36 := v, v
	q35.Family, q36.Family = FamilyQwen35, FamilyQwen36
	for _, n := range []string{"plus", "flash", "397b-a17b", "122b-a10b", "35b-a3b", "27b", "9b", "4b", "2b"} {
		m["qwen3.5-"+n+"*"] = q35
	}
	small := q35
	small.ThinksByDefault = false
	m["qwen3.5-0.8b*"] = small
	m["qwen3.5:*"] = q35 // Ollama tags
	for _, n := range []string{"plus", "flash", "27b", "35b-a3b"} {
		m["qwen3.6-"+n+"*"] = q36
	}
	m["qwen3.6:*"] = q36
}

// videoPlus raises the video limits to those of qwen3-vl-plus/-flash and
// the 235B models (seeds/003: "默认值为655360,最大值为2048000";
// total_pixels "默认值和最小值均为134217728").
func videoPlus(m ModelInfo) ModelInfo {
	m.VideoMaxPixels, m.VideoTotalPixels = 2048000, 134217728
	return m
}

func with(m ModelInfo, t ThinkingMode) ModelInfo {
	m.Thinking = t
	return m
}
