package pace

import (
	"context"
	"strconv"
	"strings"
	"testing"
)

// instantSurface answers every request at once and keeps nothing, so the
// benchmark measures the pacer alone. When shown is set, each send or edit
// is announced on it.
type instantSurface struct {
	seq, edits int
	shown      chan struct{}
}

func (s *instantSurface) Send(context.Context, Outgoing) (MessageRef, error) {
	s.seq++
	s.announce()
	return MessageRef{ID: strconv.Itoa(s.seq)}, nil
}

func (s *instantSurface) Edit(context.Context, MessageRef, Outgoing) error {
	s.edits++
	s.announce()
	return nil
}

func (s *instantSurface) announce() {
	if s.shown != nil {
		s.shown <- struct{}{}
	}
}

func (s *instantSurface) Delete(context.Context, MessageRef) error { return nil }
func (s *instantSurface) Typing(context.Context) error             { return nil }
func (s *instantSurface) Limits() Limits                           { return Limits{MaxLen: 4096} }

// BenchmarkPacerStream streams a 1,000-token answer in 100 chunks through a
// pacer with no pacing limits, an instant surface and a one-part layout.
// "coalesced": the model outruns the chat, so stale states are dropped;
// "each-shown": every chunk is shown before the next arrives (100 requests).
func BenchmarkPacerStream(b *testing.B) {
	chunks := make([]string, 100)
	var answer strings.Builder
	for i := range chunks {
		for j := range 10 {
			answer.WriteString(" tok")
			answer.WriteString(strconv.Itoa(i*10 + j))
		}
		chunks[i] = answer.String()
	}
	final := State{Answer: answer.String()}
	layout := func(st State, _ Format) []string { return []string{st.Answer + st.Note} }
	for _, eachShown := range []bool{false, true} {
		name := "coalesced"
		if eachShown {
			name = "each-shown"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			requests := 0
			for b.Loop() {
				s := &instantSurface{}
				if eachShown {
					s.shown = make(chan struct{}, 1)
				}
				p := NewReply(ReplyConfig{Surface: s, Gate: NewGate(s.Limits(), nil, nil), Layout: layout})
				p.Start(ctx)
				for _, c := range chunks {
					p.Update(State{Answer: c})
					if eachShown {
						<-s.shown
					}
				}
				s.shown = nil
				if _, err := p.Finish(ctx, final); err != nil {
					b.Fatal(err)
				}
				requests += s.seq + s.edits
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}
