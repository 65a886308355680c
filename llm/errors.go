package llm

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors. Every error returned by Stream and Recv that comes from
// the API or the network matches at most a few of these with errors.Is; an
// error matching none of them (for example an *APIError for an invalid
// parameter) is permanent and should not be retried.
//
// The codes and messages are DashScope's, from the Model Studio "Error
// messages" page (https://help.aliyun.com/zh/model-studio/error-code):
// seeds/001 and seeds/002 end by pointing there ("错误码 … 请参见错误信息");
// the copy of the API reference in seeds/003 stops before its error-code
// section. DESIGN.md ("DashScope facts") says how each class is handled.
var (
	// ErrRateLimited: HTTP 429 or a code starting with "Throttling"
	// ("Throttling", "Throttling.RateQuota" "Requests rate limit exceeded,
	// please try again later.", "Throttling.AllocationQuota"). Rate-limited
	// errors also match ErrTransient: they are retried with backoff.
	ErrRateLimited = errors.New("llm: rate limited")
	// ErrContentRefused: content moderation refused the input or output
	// (400 "DataInspectionFailed" "Input or output data may contain
	// inappropriate content."; "data_inspection_failed" and "content_filter"
	// in compatible mode). Never retried; the turn should not be stored.
	ErrContentRefused = errors.New("llm: content refused by moderation")
	// ErrMisconfigured: the key, account or model is wrong (401
	// "InvalidApiKey" "Invalid API-key provided.", 400 "Arrearage" "Access
	// denied, please make sure your account is in good standing.", 403
	// "AccessDenied*", "Model.AccessDenied", "ModelNotFound" /
	// "model_not_found", "Model not exist.", any 401/403/404). Never retried.
	ErrMisconfigured = errors.New("llm: misconfigured api key, account or model")
	// ErrTooLong: the prompt exceeds the model's context (400
	// "InvalidParameter" "Range of input length should be [1, N]",
	// "context_length_exceeded", vLLM's "maximum context length is N
	// tokens"). Never retried as is: drop older history first.
	ErrTooLong = errors.New("llm: input too long")
	// ErrImageTooLarge: an image is over the limit (400 "InvalidParameter"
	// "Exceeded limit on max bytes per data-uri item : 10485760", HTTP 413,
	// image size messages). Also returned before sending when a data URI
	// would exceed MaxDataURIBytes. Never retried as is: shrink first.
	ErrImageTooLarge = errors.New("llm: image too large")
	// ErrTransient: a failure worth retrying later: HTTP 5xx, 408/429,
	// "RequestTimeOut", "InternalError*", "ServiceUnavailable", network
	// errors, the response-header or idle timeout, a stream cut mid-frame or
	// closed without a finish reason.
	ErrTransient = errors.New("llm: temporary failure")
	// ErrClosed is returned by Recv after Close.
	ErrClosed = errors.New("llm: stream closed")
)

// MaxDataURIBytes is the largest data URI DashScope accepts for one image
// (10 MB; seeds/002 "图片文件大小不超过10MB", DESIGN.md "Data URI ≤ 10 MB").
const MaxDataURIBytes = 10 << 20

// APIError is an error reported by the server, before or inside the stream.
// Its Error text never contains the API key.
type APIError struct {
	// Status is the HTTP status (from the response, or from the
	// ":HTTP_STATUS/NNN" line of a native error event).
	Status int
	// Code is the API's error code ("InvalidApiKey", "Throttling.RateQuota",
	// "data_inspection_failed", …), possibly empty.
	Code string
	// Message is the server's explanation.
	Message string
	// RequestID identifies the request for support tickets.
	RequestID string
	// RetryAfter is the server's Retry-After hint, zero when absent.
	RetryAfter time.Duration
}

// Error describes the error as "qwen api: status 401 InvalidApiKey: …".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "qwen api: status %d", e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request_id " + e.RequestID + ")")
	}
	return b.String()
}

// Is classifies the error for errors.Is against the package's sentinels.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrContentRefused:
		return e.refused()
	case ErrImageTooLarge:
		return !e.refused() && e.imageTooLarge()
	case ErrTooLong:
		return !e.refused() && !e.imageTooLarge() && e.tooLong()
	case ErrMisconfigured:
		return e.misconfigured()
	case ErrRateLimited:
		return e.rateLimited()
	case ErrTransient:
		return e.transient()
	}
	return false
}

func (e *APIError) lowerCode() string { return strings.ToLower(e.Code) }
func (e *APIError) lowerMsg() string  { return strings.ToLower(e.Message) }

func (e *APIError) refused() bool {
	switch e.lowerCode() {
	case "datainspectionfailed", "data_inspection_failed", "content_filter":
		return true
	}
	return strings.Contains(e.lowerMsg(), "inappropriate content")
}

// imageTooLarge reports an image over a size limit, which shrinking can
// fix; not other image limits ("number of images exceeds the limit") nor
// an image too small.
func (e *APIError) imageTooLarge() bool {
	if e.Status == http.StatusRequestEntityTooLarge {
		return true
	}
	m := e.lowerMsg()
	if strings.Contains(m, "data-uri") || strings.Contains(m, "data uri") {
		return true
	}
	if !strings.Contains(m, "image") || strings.Contains(m, "small") {
		return false
	}
	for _, s := range []string{"too large", "size", "bytes"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

func (e *APIError) tooLong() bool {
	if e.lowerCode() == "context_length_exceeded" {
		return true
	}
	m := e.lowerMsg()
	for _, s := range []string{"range of input length", "input length", "context length", "too long"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

func (e *APIError) misconfigured() bool {
	if e.refused() || e.imageTooLarge() || e.tooLong() {
		return false
	}
	switch e.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	}
	c := e.lowerCode()
	switch {
	case c == "invalidapikey", c == "invalid_api_key", c == "arrearage",
		c == "modelnotfound", c == "model_not_found",
		strings.HasPrefix(c, "accessdenied"), strings.HasSuffix(c, ".accessdenied"):
		return true
	}
	m := e.lowerMsg()
	return strings.Contains(m, "model") &&
		(strings.Contains(m, "not exist") || strings.Contains(m, "not found"))
}

func (e *APIError) rateLimited() bool {
	return e.Status == http.StatusTooManyRequests ||
		strings.HasPrefix(e.lowerCode(), "throttling")
}

func (e *APIError) transient() bool {
	if e.refused() || e.imageTooLarge() || e.tooLong() || e.misconfigured() {
		return false
	}
	if e.rateLimited() || e.Status >= 500 || e.Status == http.StatusRequestTimeout {
		return true
	}
	c := e.lowerCode()
	return c == "requesttimeout" || c == "serviceunavailable" || c == "systemerror" ||
		strings.HasPrefix(c, "internalerror")
}

// transientError marks a network or protocol failure as ErrTransient while
// keeping the underlying error for errors.Is/As.
type transientError struct {
	op  string
	err error
}

func (e *transientError) Error() string   { return e.op + ": " + e.err.Error() }
func (e *transientError) Unwrap() []error { return []error{ErrTransient, e.err} }

func transient(op string, err error) error { return &transientError{op: op, err: err} }

// Internal causes, reported through ErrTransient.
var (
	errHeaderTimeout = errors.New("no response headers within the response-header timeout")
	errIdleTimeout   = errors.New("no stream event within the idle timeout")
	errEndedEarly    = errors.New("stream ended early, without a finish reason")
	errCutMidFrame   = errors.New("stream cut mid-frame")
)

// retryable reports whether err is worth another attempt.
func retryable(err error) bool {
	if !errors.Is(err, ErrTransient) {
		return false
	}
	for _, never := range []error{ErrMisconfigured, ErrContentRefused, ErrTooLong, ErrImageTooLarge} {
		if errors.Is(err, never) {
			return false
		}
	}
	return true
}

// scrub removes secret from s.
func scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}
