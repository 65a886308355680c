package llm

import (
	"net/http/httptrace"
	"sync"
	"time"
)

// TimerClock is a Clock that also makes resettable timers. When
// Config.Clock implements it, the response-header and idle timeouts use its
// timers instead of the system's, so tests can drive them by hand.
type TimerClock interface {
	Clock
	// AfterFunc calls f in its own goroutine once d has passed, unless the
	// returned Timer is stopped or reset first.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a timer made by a TimerClock; *time.Timer satisfies it.
type Timer interface {
	// Reset makes the timer fire d from now, and reports whether it was
	// active.
	Reset(d time.Duration) bool
	// Stop stops the timer, and reports whether it was active.
	Stop() bool
}

// afterFunc makes a timer with the configured clock.
func (c *Client) afterFunc(d time.Duration, f func()) Timer {
	if tc, ok := c.cfg.Clock.(TimerClock); ok {
		return tc.AfterFunc(d, f)
	}
	return time.AfterFunc(d, f)
}

// headerTimer is one attempt's response-header timeout. It counts from the
// last progress of the request upload, and from the moment the request is
// fully written, not from the start: a large album on a slow uplink must
// not time out while its bytes are still flowing. Its methods are safe for
// concurrent use.
type headerTimer struct {
	mu      sync.Mutex
	t       Timer
	d       time.Duration
	stopped bool
}

func (c *Client) newHeaderTimer(fire func()) *headerTimer {
	d := c.cfg.ResponseHeaderTimeout
	return &headerTimer{t: c.afterFunc(d, fire), d: d}
}

// touch restarts the timeout, unless the headers already arrived.
func (h *headerTimer) touch() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.stopped {
		h.t.Reset(h.d)
	}
}

// stop ends the timeout for good: a late upload read cannot restart it.
func (h *headerTimer) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	h.t.Stop()
}

// trace restarts the timeout once the whole request is written.
func (h *headerTimer) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { h.touch() }}
}
