// Package llm is qwenbot's hand-written streaming client for Alibaba's
// Qwen3-VL vision models (and the Qwen text models beside them).
//
// It speaks two wire protocols behind one Client: DashScope's native API
// (POST /api/v1/services/aigc/multimodal-generation/generation with header
// X-DashScope-SSE: enable; the default) and the OpenAI-compatible
// /chat/completions API (DashScope compatible mode, vLLM, SGLang, Ollama,
// llama.cpp). Answers arrive as a Stream of events: reasoning deltas, answer
// deltas, usage and a final done event.
//
// The package knows which parameters each model family accepts (see
// ModelInfo), sends images only as base64 data URIs, never sets
// http.Client.Timeout (it uses a response-header timeout and an idle timeout
// between events instead), retries transient failures with backoff while no
// text has reached the caller, and classifies DashScope errors into the
// sentinel errors below so callers can branch with errors.Is.
//
// It knows nothing of chat platforms, Redis or the rest of qwenbot, and it
// never logs message content or the API key.
package llm
