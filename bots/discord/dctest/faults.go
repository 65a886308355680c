package dctest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
)

// Fault makes the fake answer matching requests differently.
type Fault struct {
	// Method and Path select requests: an empty Method matches any; Path
	// is a prefix of the path without "/api/vN" (empty matches any).
	Method, Path string
	// Times is how many requests the fault answers; 0 means one.
	Times int
	// Hold, when set, keeps a matching request waiting until it is closed
	// (or the client gives up); the request is then answered normally
	// unless Status is set.
	Hold <-chan struct{}
	// Status, Header and Body are the answer.
	Status int
	Header http.Header
	Body   string
}

// Inject adds f; faults are tried in the order added.
func (s *Server) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// PendingFaults returns how many fault uses are left, so a test can check
// that its faults were hit.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.Times
	}
	return n
}

// faultLocked takes one use of the first fault matching r, or nil.
func (s *Server) faultLocked(r Request) *Fault {
	for i, f := range s.faults {
		if (f.Method == "" || f.Method == r.Method) && hasPrefixPath(r.Path, f.Path) {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			return f
		}
	}
	return nil
}

// apply holds and answers the request; it reports whether it answered.
func (f *Fault) apply(w http.ResponseWriter, r *http.Request) bool {
	if f.Hold != nil {
		select {
		case <-f.Hold:
		case <-r.Context().Done():
			return true
		}
	}
	if f.Status == 0 {
		return false
	}
	for k, v := range f.Header {
		w.Header()[k] = v
	}
	if f.Body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
	return true
}

// RateLimit answers matching requests with Discord's 429: a JSON body with
// retry_after in (fractional) seconds and the X-RateLimit-* headers.
func RateLimit(method, path string, retryAfter float64) Fault {
	ra := strconv.FormatFloat(retryAfter, 'f', -1, 64)
	return Fault{
		Method: method, Path: path, Status: http.StatusTooManyRequests,
		Header: http.Header{
			"Retry-After":             {strconv.Itoa(int(math.Ceil(retryAfter)))},
			"X-Ratelimit-Limit":       {"5"},
			"X-Ratelimit-Remaining":   {"0"},
			"X-Ratelimit-Reset-After": {ra},
			"X-Ratelimit-Bucket":      {"dctest"},
			"X-Ratelimit-Scope":       {"user"},
		},
		Body: fmt.Sprintf(`{"message":"You are being rate limited.","retry_after":%s,"global":false}`, ra),
	}
}

// Error answers matching requests with a Discord JSON error.
func Error(method, path string, status, code int, message string) Fault {
	return Fault{
		Method: method, Path: path, Status: status,
		Body: fmt.Sprintf(`{"message":%q,"code":%d}`, message, code),
	}
}
