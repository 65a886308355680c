package llmtest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
)

// FrameGate holds the fake model's SSE streams before chosen frames until
// the test opens them, so a test decides what the bot has seen when it
// edits instead of racing the fake's writes. Frames are counted from 0 in
// each response; a held stream also lets go when its request ends. It
// wraps the client side, so it works with any SSE server.
type FrameGate struct {
	holds map[int]chan struct{}
}

// NewFrameGate returns a gate that holds streams before each frame in at.
func NewFrameGate(at ...int) *FrameGate {
	g := &FrameGate{holds: map[int]chan struct{}{}}
	for _, k := range at {
		g.holds[k] = make(chan struct{})
	}
	return g
}

// Open lets streams read frame k and on (to the next hold). Call it once
// per hold.
func (g *FrameGate) Open(k int) { close(g.holds[k]) }

// Client returns a copy of base whose transport gates response bodies.
func (g *FrameGate) Client(base *http.Client) *http.Client {
	c := *base
	rt := c.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	c.Transport = gateTransport{base: rt, gate: g}
	return &c
}

// gateTransport wraps the bodies of successful responses in a gatedBody.
type gateTransport struct {
	base http.RoundTripper
	gate *FrameGate
}

func (t gateTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	resp.Body = &gatedBody{ctx: r.Context(), body: resp.Body, br: bufio.NewReader(resp.Body), gate: t.gate}
	return resp, nil
}

// gatedBody hands out one SSE frame per Read, waiting at the gate's holds.
type gatedBody struct {
	ctx     context.Context
	body    io.Closer
	br      *bufio.Reader
	gate    *FrameGate
	next    int    // index of the next frame
	pending []byte // rest of the current frame
	err     error  // the read error after pending
}

func (b *gatedBody) Read(p []byte) (int, error) {
	if len(b.pending) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		if hold, ok := b.gate.holds[b.next]; ok {
			select {
			case <-hold:
			case <-b.ctx.Done():
				return 0, b.ctx.Err()
			}
		}
		b.pending, b.err = readFrame(b.br)
		b.next++
		if len(b.pending) == 0 {
			return 0, b.err
		}
	}
	n := copy(p, b.pending)
	b.pending = b.pending[n:]
	return n, nil
}

func (b *gatedBody) Close() error { return b.body.Close() }

// readFrame reads lines up to and including a blank line.
func readFrame(br *bufio.Reader) ([]byte, error) {
	var frame []byte
	for {
		line, err := br.ReadBytes('\n')
		frame = append(frame, line...)
		if err != nil {
			return frame, err
		}
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return frame, nil
		}
	}
}
