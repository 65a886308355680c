package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

func TestAskInATerminalRendersAndSpins(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
		[]string{"The answer is **42**.\n\nSince $x^", "2 = 4$, we get \\frac{1}{2}", " of it."}, llm.Usage{}), ChunkSize: 5})
	var stdout, stderr bytes.Buffer
	opts := runOptions{isTerminal: func(io.Writer) bool { return true }}
	code := runWith(context.Background(), opts, []string{"ask", "hi"}, envMap(fakeEnv(srv)), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"The answer is 42.", "x² = 4", "1/2 of it.\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%q", want, out)
		}
	}
	for _, never := range []string{"**", "$", `\frac`} {
		if strings.Contains(out, never) {
			t.Errorf("stdout keeps the markup %q:\n%q", never, out)
		}
	}
	if e := stderr.String(); !strings.Contains(e, "asking") || !strings.HasSuffix(e, "\r\033[K") {
		t.Errorf("stderr = %q, want a spinner, cleared", e)
	}
}

func TestAskOutputShowsLinesOnce(t *testing.T) {
	var stdout bytes.Buffer
	o := &askOutput{stdout: &stdout, stderr: io.Discard, term: true}
	for _, d := range []string{"line **one**\nli", "ne two\n", "three"} {
		o.answer(d)
	}
	o.finish()
	if got := stdout.String(); got != "line one\nline two\nthree\n" {
		t.Errorf("stdout = %q", got)
	}
}
