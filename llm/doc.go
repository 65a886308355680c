// Package llm is qwenbot's hand-written streaming client for Alibaba's
// Qwen vision models (Qwen3-VL, Qwen3.5, Qwen3.6, QVQ, Qwen-VL) and the
// Qwen text models beside them.
//
// It speaks two wire protocols behind one Client: DashScope's native API
// (POST /api/v1/services/aigc/multimodal-generation/generation with header
// X-DashScope-SSE: enable; the default) and the OpenAI-compatible
// /chat/completions API (DashScope compatible mode, vLLM, SGLang, Ollama,
// llama.cpp). Answers arrive as a Stream of events: reasoning deltas, answer
// deltas, usage and a final done event.
//
// The package knows which parameters each model family accepts (see
// ModelInfo and the cited table in models_table.go; Config.Explain shows
// what it sends to a model, and an unknown model is logged once), sends images only as base64 data URIs, never sets
// http.Client.Timeout (it uses a response-header timeout and an idle timeout
// between events instead), retries transient failures with backoff while no
// text has reached the caller, and classifies DashScope errors into the
// sentinel errors below so callers can branch with errors.Is.
//
// It knows nothing of chat platforms, Redis or the rest of qwenbot, and it
// never logs message content or the API key.
package llm
