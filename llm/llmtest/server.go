// Package llmtest fakes DashScope (native and OpenAI-compatible) on
// loopback for tests of package llm and of its users. A test scripts the
// responses, points an llm.Client at Server.URL, and inspects the requests
// the client sent.
package llmtest

import (
	"cmp"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/llm"
)

// TestKey is the API key Config puts in the client.
const TestKey = "sk-llmtest-key"

// Response scripts one HTTP response.
type Response struct {
	// Status defaults to 200.
	Status int
	// Header is added to the response. Content-Type defaults to
	// text/event-stream for Frames and application/json for Body.
	Header http.Header
	// Body, if set, is sent as is (an error JSON, say) and Frames is ignored.
	Body string
	// Frames are written in order, flushing after each. A frame is raw
	// bytes: include its blank-line terminator (the builders do).
	Frames []string
	// ChunkSize > 0 writes the frames' concatenated bytes in chunks of this
	// many bytes instead, flushing after each, so frames (and UTF-8
	// characters) split at odd boundaries.
	ChunkSize int
	// HangBeforeHeaders blocks before sending anything, until the client
	// gives up or the server closes.
	HangBeforeHeaders bool
	// Hang blocks after writing (headers are flushed first), until the
	// client gives up or the server closes.
	Hang bool
	// Abort breaks the connection after writing, instead of ending the
	// response cleanly.
	Abort bool
	// Hold, if not nil, stops the response after its first HoldAfter
	// pieces (frames, or chunks with ChunkSize) until it is closed, the
	// client gives up or the server closes: a test lets the rest of the
	// answer come once the first part is on screen.
	Hold      <-chan struct{}
	HoldAfter int
}

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	// Body is the JSON body decoded into maps, slices, strings, float64s
	// and bools; nil if it was not JSON.
	Body map[string]any
	Raw  []byte
}

// Server is a scripted fake of the Qwen API. Responses are served in the
// order enqueued; when the queue is empty the default response (if set)
// is served, else a 418 error naming the problem. Methods are safe for
// concurrent use.
type Server struct {
	// URL is the base URL to put in llm.Config.BaseURL.
	URL string

	srv     *httptest.Server
	done    chan struct{}
	mu      sync.Mutex
	queue   []Response
	def     *Response
	reqs    []Request
	changed chan struct{}
}

// NewServer starts a server on loopback; it is closed when the test ends.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{done: make(chan struct{}), changed: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(func() {
		close(s.done)
		s.srv.Close()
	})
	return s
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Config returns an llm.Config for the native protocol against the server,
// with TestKey, short timeouts and a 1ms retry delay.
func (s *Server) Config() llm.Config {
	return llm.Config{Protocol: llm.ProtocolDashScope, BaseURL: s.URL, APIKey: TestKey,
		ResponseHeaderTimeout: 5 * time.Second, IdleTimeout: 5 * time.Second,
		RetryBaseDelay: time.Millisecond}
}

// OpenAIConfig is Config for the OpenAI-compatible protocol.
func (s *Server) OpenAIConfig() llm.Config {
	cfg := s.Config()
	cfg.Protocol = llm.ProtocolOpenAI
	return cfg
}

// Enqueue appends responses to the script.
func (s *Server) Enqueue(rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, rs...)
}

// SetDefault sets the response served when the queue is empty.
func (s *Server) SetDefault(r Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.def = &r
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// WaitRequests waits until at least n requests arrived and returns them;
// it fails the test after 10 seconds.
func (s *Server) WaitRequests(tb testing.TB, n int) []Request {
	tb.Helper()
	timeout := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		reqs, changed := append([]Request(nil), s.reqs...), s.changed
		s.mu.Unlock()
		if len(reqs) >= n {
			return reqs
		}
		select {
		case <-changed:
		case <-timeout:
			tb.Fatalf("llmtest: waited for %d requests, got %d", n, len(reqs))
		}
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	rec := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Raw: raw}
	if err := json.Unmarshal(raw, &rec.Body); err != nil {
		rec.Body = nil
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, rec)
	close(s.changed)
	s.changed = make(chan struct{})
	resp, ok := s.next()
	s.mu.Unlock()
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, NativeErrorBody("llmtest.NoResponse", "llmtest: no response enqueued"))
		return
	}
	s.respond(w, r, resp)
}

// next pops the next scripted response; s.mu must be held.
func (s *Server) next() (Response, bool) {
	if len(s.queue) > 0 {
		r := s.queue[0]
		s.queue = s.queue[1:]
		return r, true
	}
	if s.def != nil {
		return *s.def, true
	}
	return Response{}, false
}

func (s *Server) respond(w http.ResponseWriter, r *http.Request, resp Response) {
	if resp.HangBeforeHeaders {
		s.hang(r)
		return
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	if w.Header().Get("Content-Type") == "" {
		ct := "text/event-stream"
		if resp.Body != "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
	}
	w.WriteHeader(cmp.Or(resp.Status, http.StatusOK))
	flusher := w.(http.Flusher)
	flusher.Flush()
	for i, chunk := range chunks(resp) {
		if resp.Hold != nil && i == resp.HoldAfter {
			select {
			case <-resp.Hold:
			case <-r.Context().Done():
				return
			case <-s.done:
				return
			}
		}
		if _, err := io.WriteString(w, chunk); err != nil {
			return
		}
		flusher.Flush()
	}
	if resp.Hang {
		s.hang(r)
	}
	if resp.Abort {
		panic(http.ErrAbortHandler)
	}
}

func (s *Server) hang(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.done:
	}
}

// chunks splits what resp writes into the pieces flushed one by one.
func chunks(resp Response) []string {
	if resp.Body != "" {
		return []string{resp.Body}
	}
	if resp.ChunkSize <= 0 {
		return resp.Frames
	}
	all := strings.Join(resp.Frames, "")
	var out []string
	for len(all) > 0 {
		n := min(resp.ChunkSize, len(all))
		out = append(out, all[:n])
		all = all[n:]
	}
	return out
}
