package llm

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
)

// EventKind is the kind of a stream Event.
type EventKind int

// Event kinds.
const (
	// EventReasoning carries a reasoning (thinking) delta in Text.
	EventReasoning EventKind = iota + 1
	// EventAnswer carries an answer delta in Text.
	EventAnswer
	// EventUsage reports changed token usage in Usage.
	EventUsage
	// EventDone is the last event: FinishReason ("stop", "length", …) and
	// the final Usage.
	EventDone
)

// String names the kind.
func (k EventKind) String() string {
	switch k {
	case EventReasoning:
		return "reasoning"
	case EventAnswer:
		return "answer"
	case EventUsage:
		return "usage"
	case EventDone:
		return "done"
	}
	return "unknown"
}

// Event is one step of a streamed answer.
type Event struct {
	Kind EventKind
	// Text is the delta for EventReasoning and EventAnswer.
	Text string
	// Usage is set on EventUsage and EventDone.
	Usage Usage
	// FinishReason is set on EventDone.
	FinishReason string
}

// Usage counts tokens, cumulative for the request as last reported.
type Usage struct {
	InputTokens, OutputTokens, ReasoningTokens, ImageTokens, TotalTokens int
}

// decoder turns a protocol's SSE events into Events.
type decoder interface {
	decode(ev sseEvent) ([]Event, error)
	// end is called when the body ends; it may add a final event.
	end() ([]Event, error)
	finished() bool
}

// Stream is one streamed answer. Call Recv until it returns an error (io.EOF
// after EventDone), then Close. Recv must not be called concurrently; Close
// may be called at any time from any goroutine, also to stop early.
type Stream struct {
	c       *Client
	model   string
	url     string
	body    []byte
	newDec  func() decoder
	ctx     context.Context
	stop    context.CancelCauseFunc
	retries int

	mu   sync.Mutex // guards resp against Close
	resp *http.Response

	actx    context.Context // current attempt
	cancel  context.CancelCauseFunc
	idle    Timer
	sse     *sseReader
	dec     decoder
	pending []Event
	emitted bool // some text reached the caller: no more retries, no body
	err     error
}

// Model returns the model that serves this stream.
func (s *Stream) Model() string { return s.model }

// Recv returns the next event. After EventDone it returns io.EOF. Errors
// are classified as described for the Err* sentinels; a failure before any
// text was returned is retried transparently.
func (s *Stream) Recv() (Event, error) {
	for {
		if s.err == nil && s.ctx.Err() != nil {
			s.pending = nil
			s.fail(context.Cause(s.ctx))
		}
		if len(s.pending) > 0 {
			ev := s.pending[0]
			s.pending = s.pending[1:]
			if ev.Kind == EventReasoning || ev.Kind == EventAnswer {
				// No retry is possible now: drop the request body (which
				// holds every image) for the rest of a long stream.
				s.emitted, s.body = true, nil
			}
			return ev, nil
		}
		if s.err != nil {
			return Event{}, s.err
		}
		if s.dec.finished() {
			s.fail(io.EOF)
			continue
		}
		evs, err := s.step()
		if err != nil {
			s.recover(err)
			continue
		}
		s.pending = evs
	}
}

// step reads one SSE event and decodes it. The idle timer runs only while
// step waits for the server, so a caller that is slow to call Recv is
// never mistaken for a stalled server.
func (s *Stream) step() ([]Event, error) {
	s.idle.Reset(s.c.cfg.IdleTimeout)
	ev, err := s.sse.next()
	s.idle.Stop()
	if err == io.EOF {
		return s.dec.end()
	}
	if err != nil {
		return nil, s.readError(err)
	}
	evs, err := s.dec.decode(ev)
	var ae *APIError
	if errors.As(err, &ae) {
		ae.Message = scrub(ae.Message, s.c.cfg.APIKey)
	}
	return evs, err
}

// recover handles a failed step: it reconnects when the error is transient
// and nothing was shown yet, and otherwise ends the stream with err.
func (s *Stream) recover(err error) {
	s.release()
	if s.emitted || !retryable(err) || s.retries >= s.c.cfg.MaxRetries || s.ctx.Err() != nil {
		s.fail(err)
		return
	}
	if err := s.wait(err); err != nil {
		s.fail(err)
		return
	}
	if err := s.connect(); err != nil {
		s.fail(err)
	}
}

// readError classifies an error from reading the body.
func (s *Stream) readError(err error) error {
	if errors.Is(err, errEventTooLarge) {
		return err
	}
	return s.netError("read stream", err)
}

// netError classifies a network error: the caller's cancellation or Close
// are returned as their cause; our timeouts and everything else are
// transient.
func (s *Stream) netError(op string, err error) error {
	if s.ctx.Err() != nil {
		return context.Cause(s.ctx)
	}
	if s.actx != nil && s.actx.Err() != nil {
		if cause := context.Cause(s.actx); cause == errIdleTimeout || cause == errHeaderTimeout {
			return transient(op, cause)
		}
	}
	return transient(op, err)
}

// fail ends the stream with err and releases the connection and context.
func (s *Stream) fail(err error) {
	s.err = err
	s.release()
	s.stop(err)
}

// release closes the current attempt's connection and timers.
func (s *Stream) release() {
	if s.idle != nil {
		s.idle.Stop()
		s.idle = nil
	}
	if s.cancel != nil {
		s.cancel(nil)
		s.cancel = nil
	}
	s.mu.Lock()
	resp := s.resp
	s.resp = nil
	s.mu.Unlock()
	if resp != nil {
		resp.Body.Close()
	}
}

// Close stops the stream and releases its connection. It is safe to call
// more than once and concurrently with Recv, which then returns ErrClosed.
func (s *Stream) Close() error {
	s.stop(ErrClosed)
	s.mu.Lock()
	resp := s.resp
	s.mu.Unlock()
	if resp != nil {
		resp.Body.Close()
	}
	return nil
}

// activityReader calls touch whenever bytes arrive, to reset the idle timer.
type activityReader struct {
	r     io.Reader
	touch func()
}

func (a activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.touch()
	}
	return n, err
}
