package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Backoff bounds.
const (
	maxBackoff    = 30 * time.Second
	maxRetryAfter = 60 * time.Second
	maxErrorBody  = 64 << 10
)

// backoff returns how long to wait before retry number n+1 (n from 0):
// the server's Retry-After when it sent one, else base·2ⁿ (capped) with
// "equal jitter" (half fixed, half random). ok is false when the server
// asks for a longer wait than maxRetryAfter: the error is returned instead.
func backoff(base time.Duration, n int, cause error) (d time.Duration, ok bool) {
	var ae *APIError
	if errors.As(cause, &ae) && ae.RetryAfter > 0 {
		return ae.RetryAfter, ae.RetryAfter <= maxRetryAfter
	}
	d = base
	for i := 0; i < n && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	half := d / 2
	return half + rand.N(half+1), true
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// readErrorResponse builds an *APIError from an error response. The body
// is JSON ({"code","message","request_id"} natively, {"error":{…}} in
// compatible mode), or sometimes SSE-framed: JSON is tried first, then SSE.
func readErrorResponse(resp *http.Response) (*APIError, error) {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	e := &APIError{Status: resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	if fillFromJSON(e, raw) || fillFromSSE(e, raw) {
		return e, nil
	}
	if e.Status == http.StatusOK {
		e.Message = "unexpected non-streaming response: " + truncate(string(raw), 256)
		return e, nil
	}
	e.Message = truncate(strings.TrimSpace(string(raw)), 512)
	return e, nil
}

// errorBody is the union of the error shapes servers send.
type errorBody struct {
	Code      json.RawMessage `json:"code"`
	Message   string          `json:"message"`
	Type      string          `json:"type"`
	RequestID string          `json:"request_id"`
	Error     *openaiError    `json:"error"`
}

// fillFromJSON fills e from a JSON error body; it reports whether the body
// was one.
func fillFromJSON(e *APIError, raw []byte) bool {
	var b errorBody
	if err := json.Unmarshal(raw, &b); err != nil {
		return false
	}
	if b.Error != nil {
		oe := b.Error.apiError(e.Status)
		e.Code, e.Message = oe.Code, oe.Message
		e.RequestID = b.RequestID
		return true
	}
	if b.Message == "" && len(b.Code) == 0 {
		return false
	}
	oe := (&openaiError{Code: b.Code, Message: b.Message, Type: b.Type}).apiError(e.Status)
	e.Code, e.Message, e.RequestID = oe.Code, oe.Message, b.RequestID
	return true
}

// fillFromSSE fills e from the first SSE event of raw whose data is a JSON
// error body.
func fillFromSSE(e *APIError, raw []byte) bool {
	r := newSSEReader(strings.NewReader(string(raw)))
	for {
		ev, err := r.next()
		if err != nil {
			return false
		}
		if ev.Status >= 400 && e.Status == http.StatusOK {
			e.Status = ev.Status
		}
		if fillFromJSON(e, []byte(ev.Data)) {
			return true
		}
	}
}
