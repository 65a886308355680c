package llm_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// pipeListener hands the server ends of in-memory connections to an
// http.Server. net.Pipe has no buffer: a client write returns only once
// the server read it, so the upload moves exactly as fast as the handler
// reads.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

func (l *pipeListener) dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// pipeServer serves handler over in-memory connections and returns a
// client for it.
func pipeServer(t *testing.T, handler http.Handler) *http.Client {
	t.Helper()
	ln := &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
	srv := &http.Server{Handler: handler}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		<-served
	})
	return &http.Client{Transport: &http.Transport{DialContext: ln.dial}}
}

// TestSlowUploadIsNotAHeaderTimeout uploads a request much slower than the
// response-header timeout, but with progress more often than it: the
// timeout must count from the last progress, not from the start.
func TestSlowUploadIsNotAHeaderTimeout(t *testing.T) {
	const chunk = 32 << 10
	read, next := make(chan int), make(chan struct{})
	frames := llmtest.Answer{Text: []string{"ok"}}.Native()
	hc := pipeServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, chunk)
		for total := 0; ; {
			n, err := io.ReadFull(r.Body, buf)
			total += n
			if err != nil {
				break
			}
			read <- total
			<-next
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, f := range frames {
			_, _ = io.WriteString(w, f)
		}
	}))
	clock := &manualClock{}
	cfg := llm.Config{Protocol: llm.ProtocolDashScope, BaseURL: "http://llm.test", APIKey: llmtest.TestKey,
		ResponseHeaderTimeout: time.Second, IdleTimeout: time.Second, MaxRetries: -1, Clock: clock}
	c, err := llm.New(cfg, hc, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	prompt := strings.Repeat("题", 120<<10) // about 360 KB: 11 chunks
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{llm.TextPart(prompt)}}}}
	type streamed struct {
		s   *llm.Stream
		err error
	}
	got := make(chan streamed, 1)
	go func() {
		s, err := c.Stream(context.Background(), req)
		got <- streamed{s, err}
	}()
	chunks := 0
	for uploading := true; uploading; {
		select {
		case <-read:
			chunks++
			// The client moves on to the next piece only after the server
			// read some of this one: wait for that progress since the clock
			// last moved, then let time pass.
			clock.WaitReset(t)
			clock.Advance(600 * time.Millisecond)
			next <- struct{}{}
		case r := <-got:
			uploading = false
			if r.err != nil {
				t.Fatalf("Stream after %d chunks (%v of fake time): %v", chunks, time.Duration(chunks)*600*time.Millisecond, r.err)
			}
			defer r.s.Close()
			if res := collect(t, r.s); res.err != nil || res.answer != "ok" {
				t.Errorf("stream = %q, %v", res.answer, res.err)
			}
		}
	}
	if chunks < 5 {
		t.Fatalf("upload took %d chunks; want several header timeouts' worth", chunks)
	}
}
