package llmtest

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

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
			g := NewFrameGate(1)
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
			g.Open(1)
			if got := <-read; got != strings.Join(tt.want[1:], "") {
				t.Errorf("rest = %q, want %q", got, strings.Join(tt.want[1:], ""))
			}
		})
	}
}

func TestGatedBodyLetsGoWhenTheRequestEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	b := &gatedBody{ctx: ctx, body: io.NopCloser(nil), br: bufio.NewReader(strings.NewReader("a:1\n\n")), gate: NewFrameGate(0)}
	cancel()
	if _, err := b.Read(make([]byte, 8)); !errors.Is(err, context.Canceled) {
		t.Errorf("Read = %v, want context.Canceled", err)
	}
}
