package telegram

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// frameGate holds the fake model's SSE streams before chosen frames until
// the test opens them, so a test decides what the bot has seen when it
// edits instead of racing the fake's writes. Frames are counted from 0 in
// each response; a held stream also lets go when its request ends.
type frameGate struct {
	holds map[int]chan struct{}
}

// newFrameGate returns a gate that holds streams before each frame in at.
func newFrameGate(at ...int) *frameGate {
	g := &frameGate{holds: map[int]chan struct{}{}}
	for _, k := range at {
		g.holds[k] = make(chan struct{})
	}
	return g
}

// open lets streams read frame k and on (to the next hold).
func (g *frameGate) open(k int) { close(g.holds[k]) }

// client returns base with a transport that gates response bodies.
func (g *frameGate) client(base *http.Client) *http.Client {
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
	gate *frameGate
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
	gate    *frameGate
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

func TestGatedBodyHoldsBeforeFrames(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"frames", "a:1\n\nb:2\r\n\r\nc:3\n\n", []string{"a:1\n\n", "b:2\r\n\r\n", "c:3\n\n"}},
		{"unterminated tail", "a:1\n\nb:2", []string{"a:1\n\n", "b:2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newFrameGate(1)
			b := &gatedBody{ctx: t.Context(), body: io.NopCloser(nil), br: bufio.NewReader(strings.NewReader(tt.in)), gate: g}
			buf := make([]byte, 64)
			n, err := b.Read(buf)
			if err != nil || string(buf[:n]) != tt.want[0] {
				t.Fatalf("first Read = %q, %v; want %q", buf[:n], err, tt.want[0])
			}
			read := make(chan string, 1)
			go func() {
				rest, _ := io.ReadAll(b)
				read <- string(rest)
			}()
			select {
			case got := <-read:
				t.Fatalf("read %q past a closed hold", got)
			default:
			}
			g.open(1)
			if got := <-read; got != strings.Join(tt.want[1:], "") {
				t.Errorf("rest = %q, want %q", got, strings.Join(tt.want[1:], ""))
			}
		})
	}
}

func TestGatedBodyLetsGoWhenTheRequestEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	b := &gatedBody{ctx: ctx, body: io.NopCloser(nil), br: bufio.NewReader(strings.NewReader("a:1\n\n")), gate: newFrameGate(0)}
	cancel()
	if _, err := b.Read(make([]byte, 8)); !errors.Is(err, context.Canceled) {
		t.Errorf("Read = %v, want context.Canceled", err)
	}
}
