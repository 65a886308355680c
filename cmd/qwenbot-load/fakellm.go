package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// The fake DashScope's endpoints, key and pacing.
const (
	pathMultimodal = "/api/v1/services/aigc/multimodal-generation/generation"
	pathText       = "/api/v1/services/aigc/text-generation/generation"
	fakeAPIKey     = "sk-qwenbot-load"
	// frameEvery is how often a streaming answer writes a frame with the
	// tokens generated since the last one.
	frameEvery = 50 * time.Millisecond
	// fastFrameTokens is the tokens per frame of an answer streamed as
	// fast as possible.
	fastFrameTokens = 64
	// maxRequestBytes bounds a request body (images are base64 in it).
	maxRequestBytes = 64 << 20
)

// streamProfile shapes one streamed answer.
type streamProfile struct {
	firstToken time.Duration
	// perToken is the time per token; 0 streams as fast as possible.
	perToken time.Duration
	think    int
	answer   int
}

// fakeLLM is a fake DashScope native API on loopback. It streams answers
// like the seeds' examples: reasoning frames with content [] and
// reasoning_content, then answer frames with content [{"text"}],
// cumulative usage on every frame, finish_reason "null" until the final
// "stop" frame, and no [DONE]. It computes the input tokens of every
// request (images × their 32×32 patches + 2, plus text bytes / 4) and
// reports each turn's frames to its record. Safe for concurrent use.
type fakeLLM struct {
	now      func() time.Time
	lookup   func(chat int64, n int) *turnRec
	profile  func(chat int64) streamProfile
	requests atomic.Int64
}

// ServeHTTP answers one generation request.
func (f *fakeLLM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || (r.URL.Path != pathMultimodal && r.URL.Path != pathText) {
		writeDashError(w, http.StatusNotFound, "NotFound", "Not found")
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+fakeAPIKey {
		writeDashError(w, http.StatusUnauthorized, "InvalidApiKey", "Invalid API-key provided.")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes))
	// The request arrived with its last byte: parsing it (megabytes of
	// base64 with a photo conversation's history) is the fake's work.
	arrived := f.now()
	var req nativeRequest
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		writeDashError(w, http.StatusBadRequest, "InvalidParameter", "cannot read the request body")
		return
	}
	f.requests.Add(1)
	input := req.inputTokens()
	chat, n, tagged := req.tag()
	var rec *turnRec
	if tagged {
		rec = f.lookup(chat, n)
	}
	if rec != nil {
		rec.onInput(arrived, input)
	}
	p := f.profile(chat)
	if t := req.Parameters.EnableThinking; t == nil || !*t {
		p.think = 0
	}
	f.stream(r.Context(), w, p, rec, input)
}

// writeDashError writes a DashScope error body.
func writeDashError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(map[string]string{"code": code, "message": msg, "request_id": "qwenbot-load"})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// stream writes the answer's frames on p's schedule.
func (f *fakeLLM) stream(ctx context.Context, w http.ResponseWriter, p streamProfile, rec *turnRec, input int) {
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	if fl != nil {
		fl.Flush()
	}
	if !sleepCtx(ctx, p.firstToken) {
		return
	}
	s := sseWriter{w: w, fl: fl, input: input, think: p.think}
	var tick *time.Ticker
	if p.perToken > 0 {
		tick = time.NewTicker(frameEvery)
		defer tick.Stop()
	}
	start, total := f.now(), p.think+p.answer
	for s.sent < total {
		due := min(total, s.sent+fastFrameTokens)
		if tick != nil {
			due = min(total, int(f.now().Sub(start)/p.perToken)+1)
		}
		if due > s.sent && !f.emit(&s, rec, due, p.think) {
			return
		}
		if tick != nil && s.sent < total {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
		}
	}
	s.frame(nil, "", "stop")
}

// emit writes the tokens up to due: a reasoning frame, and an answer frame
// when the span reaches into the answer.
func (f *fakeLLM) emit(s *sseWriter, rec *turnRec, due, think int) bool {
	if s.sent < think {
		from, end := s.sent+1, min(due, think)
		s.sent = end
		if rec != nil {
			rec.onFrame(f.now(), 0, false)
		}
		if !s.frame(nil, tokenText('r', from, end), "null") {
			return false
		}
	}
	if due <= s.sent {
		return true
	}
	from := s.sent - think + 1
	s.sent = due
	if rec != nil {
		rec.onFrame(f.now(), due-think, true)
	}
	return s.frame([]textItem{{Text: tokenText('x', from, due-think)}}, "", "null")
}

// tokenText is the tokens from..to (1-based) of a phase: "x1 x2 … x50\n\n
// x51 …", each token a word the fake Bot API can find again in any
// rendering of the text.
func tokenText(prefix byte, from, to int) string {
	b := make([]byte, 0, (to-from+1)*6)
	for i := from; i <= to; i++ {
		b = append(b, prefix)
		b = strconv.AppendInt(b, int64(i), 10)
		if i%50 == 0 {
			b = append(b, "\n\n"...)
		} else {
			b = append(b, ' ')
		}
	}
	return string(b)
}

// answerTokenCount returns the highest answer token ("x<n>") in text, and
// whether text shows any model token (answer or reasoning).
func answerTokenCount(text string) (int, bool) {
	best, model := 0, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if (c != 'x' && c != 'r') || (i > 0 && isWordByte(text[i-1])) {
			continue
		}
		j, n := i+1, 0
		for j < len(text) && text[j] >= '0' && text[j] <= '9' && n < 1e6 {
			n = n*10 + int(text[j]-'0')
			j++
		}
		if j == i+1 || (j < len(text) && isWordByte(text[j])) {
			continue
		}
		model = true
		if c == 'x' {
			best = max(best, n)
		}
		i = j - 1
	}
	return best, model
}

// isWordByte reports ASCII letters and digits.
func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
