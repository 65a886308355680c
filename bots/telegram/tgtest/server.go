package tgtest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the token NewServer accepts.
const DefaultToken = "123456:TEST-token-AbCdEf"

// Call is one recorded Bot API call.
type Call struct {
	Method string
	// Params are the request's parameters as sent: form values, or the
	// members of a JSON body (strings as is, other values as JSON).
	Params map[string]string
}

// Int returns a parameter as an integer (0 when absent or not a number).
func (c Call) Int(key string) int64 {
	n, _ := strconv.ParseInt(c.Params[key], 10, 64)
	return n
}

// JSON decodes a JSON-encoded parameter into v.
func (c Call) JSON(key string, v any) error {
	return json.Unmarshal([]byte(c.Params[key]), v)
}

// Server is a fake Bot API. Make it with NewServer; it is closed when the
// test ends. Its methods are safe for concurrent use.
type Server struct {
	// URL is the API base URL (Config.APIURL).
	URL string
	// Token is the only token the server accepts.
	Token string
	// Bot is the bot's own user, answered by getMe.
	Bot User

	srv *httptest.Server

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every call and update
	closed   chan struct{}
	calls    []Call
	fails    map[string][]Failure
	hooks    map[string]func(Call) *Failure
	updates  []queuedUpdate
	nextUpd  int
	nextMsg  int
	messages map[msgKey]*SentMessage
	sent     []*SentMessage
	files    map[string]storedFile
	webhook  string
	// oldServer answers as a Bot API server older than 10.1; see
	// SetOldServer.
	oldServer bool
}

// queuedUpdate is an update waiting for getUpdates.
type queuedUpdate struct {
	id  int
	raw json.RawMessage
}

// storedFile is a file served by getFile and the file URL.
type storedFile struct {
	path    string
	data    []byte
	unsized bool
}

// msgKey identifies a message.
type msgKey struct {
	chat int64
	id   int
}

// NewServer starts a fake Bot API for the bot @qwen_test_bot (id 1000) with
// DefaultToken.
func NewServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		Token:    DefaultToken,
		Bot:      User{ID: 1000, IsBot: true, FirstName: "Qwen", Username: "qwen_test_bot"},
		changed:  make(chan struct{}),
		closed:   make(chan struct{}),
		fails:    make(map[string][]Failure),
		hooks:    make(map[string]func(Call) *Failure),
		nextUpd:  1,
		nextMsg:  5000,
		messages: make(map[msgKey]*SentMessage),
		files:    make(map[string]storedFile),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server; pending long polls return at once.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		return
	default:
		close(s.closed)
	}
	s.mu.Unlock()
	s.srv.Close()
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// FailNext makes the next calls of method fail, one failure per call, in
// order, before any hook runs.
func (s *Server) FailNext(method string, f ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails[method] = append(s.fails[method], f...)
}

// OnCall installs a hook for method: it sees every call (after FailNext
// failures are used up) and fails it by returning a Failure, or lets it
// succeed by returning nil. A nil hook removes it. Hooks run outside the
// server's lock and may call the Server's methods.
func (s *Server) OnCall(method string, hook func(Call) *Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if hook == nil {
		delete(s.hooks, method)
		return
	}
	s.hooks[method] = hook
}

// Calls returns the calls recorded so far, oldest first, only those of the
// given methods when any are given.
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// WaitCall waits (up to 30 s, then fails the test) for a call of method
// that match accepts (nil accepts any) and returns the first such call.
func (s *Server) WaitCall(tb testing.TB, method string, match func(Call) bool) Call {
	tb.Helper()
	var found Call
	s.WaitFor(tb, "a "+method+" call", func() bool {
		for _, c := range s.Calls(method) {
			if match == nil || match(c) {
				found = c
				return true
			}
		}
		return false
	})
	return found
}

// WaitFor waits (up to 30 s, then fails the test with what) until cond
// holds. Only a failing test waits that long, so the bound is generous
// for a slow, busy machine (-race, other packages' tests). cond is checked after every call, queued update and change to
// the stored messages or the webhook.
func (s *Server) WaitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.After(30 * time.Second)
	for {
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			tb.Fatalf("tgtest: timed out waiting for %s", what)
		}
	}
}

// notifyLocked wakes waiters.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// serve routes /bot<token>/<method> and /file/bot<token>/<path>.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+s.Token+"/"); ok {
		s.serveFile(w, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeFailure(w, Failure{Code: 404, Description: "Not Found"})
		return
	}
	if token != s.Token {
		writeFailure(w, Failure{Code: 401, Description: "Unauthorized"})
		return
	}
	c := Call{Method: method, Params: readParams(r)}
	if f := s.record(c); f != nil {
		writeFailure(w, *f)
		return
	}
	s.dispatch(w, r, c)
}

// record stores a call and returns the scripted failure for it, if any.
func (s *Server) record(c Call) *Failure {
	s.mu.Lock()
	s.calls = append(s.calls, c)
	s.notifyLocked()
	if q := s.fails[c.Method]; len(q) > 0 {
		s.fails[c.Method] = q[1:]
		s.mu.Unlock()
		return &q[0]
	}
	hook := s.hooks[c.Method]
	s.mu.Unlock()
	if hook != nil {
		return hook(c)
	}
	return nil
}

// readParams decodes form, multipart or JSON parameters.
func readParams(r *http.Request) map[string]string {
	out := make(map[string]string)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var m map[string]json.RawMessage
		body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		_ = json.Unmarshal(body, &m)
		for k, v := range m {
			var str string
			if json.Unmarshal(v, &str) == nil {
				out[k] = str
				continue
			}
			out[k] = string(v)
		}
		return out
	}
	_ = r.ParseMultipartForm(10 << 20)
	_ = r.ParseForm()
	for k, v := range r.Form {
		out[k] = v[0]
	}
	return out
}

// writeOK writes {"ok":true,"result":result}.
func writeOK(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// writeFailure writes a Bot API error answer with its HTTP status.
func writeFailure(w http.ResponseWriter, f Failure) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Code)
	_, _ = w.Write(f.body())
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
