package llm

import (
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// parseAll reads every event from r, returning the events and the error
// that ended the input (nil for a clean io.EOF).
func parseAll(r io.Reader) ([]sseEvent, error) {
	p := newSSEReader(r)
	var evs []sseEvent
	for {
		ev, err := p.next()
		if err == io.EOF {
			return evs, nil
		}
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
}

func TestSSEParse(t *testing.T) {
	long := strings.Repeat("x", 100<<10)
	tests := []struct {
		name string
		in   string
		want []sseEvent
		err  error
	}{
		{"native frame", "id:1\nevent:result\n:HTTP_STATUS/200\ndata:{}\n\n",
			[]sseEvent{{ID: "1", Event: "result", Data: "{}", Status: 200}}, nil},
		{"error status", "id:7\nevent:error\n:HTTP_STATUS/429\ndata:{\"code\":\"Throttling\"}\n\n",
			[]sseEvent{{ID: "7", Event: "error", Data: `{"code":"Throttling"}`, Status: 429}}, nil},
		{"one space after colon stripped", "data:  two\n\n", []sseEvent{{Data: " two"}}, nil},
		{"CRLF", "event: x\r\ndata: a\r\n\r\ndata: b\r\n\r\n", []sseEvent{{Event: "x", Data: "a"}, {Data: "b"}}, nil},
		{"multi-line data", "data: a\ndata:\ndata: b\n\n", []sseEvent{{Data: "a\n\nb"}}, nil},
		{"comments and unknown fields", ": keep-alive\niid:1\nretry: 10\nfoo\ndata: x\n\n", []sseEvent{{Data: "x"}}, nil},
		{"blank lines between events", "\n\n\ndata: x\n\n\n\ndata: y\n\n", []sseEvent{{Data: "x"}, {Data: "y"}}, nil},
		{"field without value", "data\n\n", []sseEvent{{Data: ""}}, nil},
		{"line over 64 KiB", "data:" + long + "\n\n", []sseEvent{{Data: long}}, nil},
		{"BOM", "\ufeffdata: x\n\n", []sseEvent{{Data: "x"}}, nil},
		{"last event without blank line", "data: x\n", []sseEvent{{Data: "x"}}, nil},
		{"cut inside a line", "data: x\n\ndata: {\"a", []sseEvent{{Data: "x"}}, errCutMidFrame},
		{"cut between CR and LF", "data: x\r", nil, errCutMidFrame},
		{"id with NUL ignored", "id: a\x00b\ndata: x\n\n", []sseEvent{{Data: "x"}}, nil},
		{"comment-only input", ": hello\n\n", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAll(strings.NewReader(tt.in))
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("events\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSSEEventTooLarge(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"one long line", "data: " + strings.Repeat("x", 2000) + "\n\n"},
		{"many lines", strings.Repeat("data: "+strings.Repeat("x", 300)+"\n", 4) + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newSSEReader(strings.NewReader(tt.in))
			p.max = 1000
			if _, err := p.next(); !errors.Is(err, errEventTooLarge) {
				t.Errorf("err = %v, want errEventTooLarge", err)
			}
		})
	}
}

// FuzzSSE checks that the parser never panics, that how the input is split
// into reads never changes the events, and that CRLF line ends parse like
// LF ones.
func FuzzSSE(f *testing.F) {
	for _, name := range []string{"native_stream.sse", "native_thinking.sse", "openai_stream.sse"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{"", "\n", "data:x", "data: x\n\n", ":HTTP_STATUS/abc\n\n", "id\x00:\n",
		"event:error\n:HTTP_STATUS/500\ndata:{}\n\n", "data:\ndata:\n\n", "\ufeff:\n", "data: x\r\n\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		whole, errWhole := parseAll(strings.NewReader(in))
		bytewise, errBytes := parseAll(iotest.OneByteReader(strings.NewReader(in)))
		if !reflect.DeepEqual(whole, bytewise) || !errors.Is(errBytes, errWhole) && errBytes != errWhole {
			t.Fatalf("read boundaries changed the result:\n%+v %v\n%+v %v", whole, errWhole, bytewise, errBytes)
		}
		if strings.Contains(in, "\r") {
			return
		}
		crlf, errCRLF := parseAll(strings.NewReader(strings.ReplaceAll(in, "\n", "\r\n")))
		if !reflect.DeepEqual(whole, crlf) || errCRLF != errWhole {
			t.Fatalf("CRLF changed the result:\n%+v %v\n%+v %v", whole, errWhole, crlf, errCRLF)
		}
	})
}
