package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/qwenbot/qwenbot/bots/render"
)

// isTerminal reports whether w is a terminal (a character device), the
// test main uses for ask's output.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// askOutput is where ask writes the answer. Piped, the answer goes to
// stdout as the model writes it. In a terminal a spinner runs on stderr
// until the first token, and the answer's Markdown and LaTeX are rendered
// as plain, readable text (bots/render), a line at a time.
type askOutput struct {
	stdout, stderr io.Writer
	term           bool
	spin           *spinner
	md             strings.Builder // the answer so far, as the model wrote it
	printed        string          // what of its rendering is on screen
}

// newAskOutput starts the spinner when term is set; call finish or stop
// (idempotent) to end it.
func newAskOutput(stdout, stderr io.Writer, term bool, label string) *askOutput {
	o := &askOutput{stdout: stdout, stderr: stderr, term: term}
	if term {
		o.spin = startSpinner(stderr, label)
	}
	return o
}

// started ends the spinner: the model said something.
func (o *askOutput) started() {
	if o.spin != nil {
		o.spin.stop()
		o.spin = nil
	}
}

// answer writes an answer delta.
func (o *askOutput) answer(delta string) {
	o.started()
	if !o.term {
		fmt.Fprint(o.stdout, delta)
		return
	}
	o.md.WriteString(delta)
	md := o.md.String()
	if i := strings.LastIndexByte(md, '\n'); i >= 0 {
		o.show(render.Render(render.Plain, md[:i+1]))
	}
}

// finish writes the rest of the answer and a final newline.
func (o *askOutput) finish() {
	o.started()
	if o.term {
		o.show(render.Render(render.Plain, o.md.String()))
	}
	fmt.Fprintln(o.stdout)
}

// show prints what of rendered is not on screen yet. When rendering more
// text changed what was printed already (rare: a construct spanning
// lines), it goes on from where the two agree.
func (o *askOutput) show(rendered string) {
	n := 0
	for n < len(o.printed) && n < len(rendered) && o.printed[n] == rendered[n] {
		n++
	}
	if n < len(o.printed) {
		n = len(o.printed) // cannot take back what is on screen
	}
	if n < len(rendered) {
		fmt.Fprint(o.stdout, rendered[n:])
		o.printed = rendered
	}
}

// spinner shows that ask is waiting for the model.
type spinner struct {
	quit chan struct{}
	done chan struct{}
}

// spinnerFrames are drawn in turn, every spinnerTick.
const (
	spinnerFrames = `⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏`
	spinnerTick   = 100 * time.Millisecond
)

// startSpinner draws a spinner and label on w until stop.
func startSpinner(w io.Writer, label string) *spinner {
	s := &spinner{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(spinnerTick)
		defer t.Stop()
		frames := []rune(spinnerFrames)
		for i := 0; ; i++ {
			fmt.Fprintf(w, "\r%c %s", frames[i%len(frames)], label)
			select {
			case <-s.quit:
				fmt.Fprint(w, "\r\033[K") // clear the line
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// stop ends the spinner and clears its line; it returns once it has.
func (s *spinner) stop() {
	close(s.quit)
	<-s.done
}
