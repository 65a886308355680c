package bots

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
)

// benchAnswer returns about 1,000 tokens of Markdown with LaTeX in 100
// chunks.
func benchAnswer() []string {
	line := "Step %d: since $x^2 + y^2 = r^2$, we get **r = %d** and \\frac{a}{b} ≤ 3. "
	var sb strings.Builder
	for i := range 60 {
		fmt.Fprintf(&sb, line, i, i*i)
		if i%6 == 5 {
			sb.WriteString("\n\n")
		}
	}
	text := []rune(sb.String())
	chunks := make([]string, 0, 100)
	size := (len(text) + 99) / 100
	for i := 0; i < len(text); i += size {
		chunks = append(chunks, string(text[i:min(i+size, len(text))]))
	}
	return chunks
}

// BenchmarkTurn runs whole turns: engine, pacer and renderer, with a fake
// model streaming a 1,000-token answer in 100 chunks into an instant
// surface, and the embedded store.
func BenchmarkTurn(b *testing.B) {
	chunks := benchAnswer()
	steps := answerSteps(chunks...)
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return steps }
	obs := &recObserver{}
	e := newEngine(Config{HistoryTurns: -1, Observer: obs}, m.open, m.model, newEmbeddedStore(b), quietLog())
	s := newRecSurface()
	s.limits = Limits{MaxLen: 4096, Format: FormatHTML}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := e.Submit(ctx, turnFor("tg:bench", "question", s)); err != nil {
			b.Fatal(err)
		}
		e.Wait()
	}
	b.StopTimer()
	b.ReportMetric(float64(obs.edits.Load())/float64(b.N), "requests/op")
	if err := e.Shutdown(ctx); err != nil {
		b.Fatal(err)
	}
	last := s.Texts()[len(s.Texts())-1]
	if !strings.Contains(last, "Step 59") {
		b.Fatalf("final message lacks the end of the answer: %q", last[max(0, len(last)-80):])
	}
}
