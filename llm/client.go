package llm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
)

// Stream starts streaming the answer to req. Failures before the stream
// opens (an invalid request, an HTTP error status, network errors) are
// returned here, failures inside it by Recv; either way transient ones are
// retried first while no text has been returned. ctx bounds the whole
// stream: cancel it to stop. The caller must Close the Stream. Stream may
// be called concurrently; each returned Stream is read by one goroutine.
func (c *Client) Stream(ctx context.Context, req Request) (*Stream, error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("invalid request: %w", err)
	}
	info := c.resolve(&req)
	if info.Vision {
		if err := checkImageSizes(req.Messages); err != nil {
			return nil, fmt.Errorf("check images: %w", err)
		}
	}
	refs := newImageRefs()
	path, body, newDec := c.build(info, &req, refs)
	data, err := refs.marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	s := &Stream{c: c, model: info.Name, url: c.cfg.BaseURL + path, body: data, newDec: newDec}
	s.ctx, s.stop = context.WithCancelCause(ctx)
	c.log.DebugContext(ctx, "llm request", "model", info.Name, "path", path,
		"messages", len(req.Messages), "bytes", len(data), "thinking", thinks(info, &req))
	if err := s.connect(); err != nil {
		s.stop(err)
		return nil, err
	}
	return s, nil
}

// build returns the endpoint path, body and decoder for the protocol. The
// body's images are refs's placeholders (data URIs when refs is nil).
func (c *Client) build(info ModelInfo, req *Request, refs *imageRefs) (string, any, func() decoder) {
	if c.cfg.Protocol == ProtocolOpenAI {
		path, body := c.openaiRequest(info, req, refs)
		return path, body, func() decoder { return &openaiDecoder{} }
	}
	path, body := nativeRequest(info, req, refs)
	return path, body, func() decoder { return &nativeDecoder{} }
}

// connect opens the stream, retrying transient failures with backoff.
func (s *Stream) connect() error {
	for {
		err := s.attempt()
		if err == nil {
			return nil
		}
		if !retryable(err) || s.retries >= s.c.cfg.MaxRetries || s.ctx.Err() != nil {
			return err
		}
		if err := s.wait(err); err != nil {
			return err
		}
	}
}

// wait sleeps before retry number s.retries+1, honouring the server's
// Retry-After and the stream's context.
func (s *Stream) wait(cause error) error {
	d, ok := backoff(s.c.cfg.RetryBaseDelay, s.retries, cause)
	if !ok {
		return cause
	}
	s.retries++
	s.c.log.DebugContext(s.ctx, "llm retry", "attempt", s.retries, "wait", d, "err", cause)
	select {
	case <-s.c.cfg.Clock.After(d):
		return nil
	case <-s.ctx.Done():
		return context.Cause(s.ctx)
	}
}

// attempt sends the request once and, on success, installs the response as
// the stream's current body.
func (s *Stream) attempt() error {
	s.actx, s.cancel = context.WithCancelCause(s.ctx)
	cancel := s.cancel
	header := s.c.newHeaderTimer(func() { cancel(errHeaderTimeout) })
	req, err := s.newRequest(header)
	if err != nil {
		header.stop()
		return fmt.Errorf("build request: %w", err)
	}
	resp, err := s.c.hc.Do(req)
	header.stop()
	if err != nil {
		err = s.netError("post "+s.url, err)
		s.release()
		return err
	}
	idle := s.c.cfg.IdleTimeout
	s.idle = s.c.afterFunc(idle, func() { cancel(errIdleTimeout) })
	s.mu.Lock()
	s.resp = resp
	s.mu.Unlock()
	if err := s.checkResponse(resp); err != nil {
		s.release()
		return err
	}
	s.idle.Stop()
	timer := s.idle
	s.sse = newSSEReader(activityReader{r: resp.Body, touch: func() { timer.Reset(idle) }})
	s.dec = s.newDec()
	return nil
}

// newRequest builds the attempt's request; its upload progress and its
// end restart the response-header timeout.
func (s *Stream) newRequest(header *headerTimer) (*http.Request, error) {
	body := s.body
	newBody := func() (io.ReadCloser, error) {
		return io.NopCloser(activityReader{r: bytes.NewReader(body), touch: header.touch}), nil
	}
	ctx := httptrace.WithClientTrace(s.actx, header.trace())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, nil)
	if err != nil {
		return nil, err
	}
	req.Body, _ = newBody()
	req.GetBody, req.ContentLength = newBody, int64(len(body))
	s.setHeaders(req.Header)
	return req, nil
}

func (s *Stream) setHeaders(h http.Header) {
	h.Set("Content-Type", "application/json")
	h.Set("Accept", "text/event-stream")
	if s.c.cfg.APIKey != "" {
		h.Set("Authorization", "Bearer "+s.c.cfg.APIKey)
	}
	if s.c.cfg.Protocol == ProtocolDashScope {
		h.Set("X-DashScope-SSE", "enable")
	}
}

// checkResponse turns a non-stream response into an error: a non-200
// status, or a 200 JSON body (an error reported without SSE).
func (s *Stream) checkResponse(resp *http.Response) error {
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode == http.StatusOK && ct != "application/json" {
		return nil
	}
	e, err := readErrorResponse(resp)
	if err != nil {
		return s.netError("read error response", err)
	}
	e.Message = scrub(e.Message, s.c.cfg.APIKey)
	return e
}
