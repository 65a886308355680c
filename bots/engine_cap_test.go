package bots

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qwenbot/qwenbot/llm"
)

func TestTextCapCutsAtTheCharacterLimit(t *testing.T) {
	tests := []struct {
		name   string
		max    int
		chunks []string
		want   string
		capped bool
	}{
		{"under", 10, []string{"abc", "def"}, "abcdef", false},
		{"exactly at the cap", 6, []string{"abc", "def"}, "abcdef", false},
		{"past the cap", 5, []string{"abc", "def"}, "abcde", true},
		{"runes, not bytes", 4, []string{"解答", "题目的"}, "解答题目", true},
		{"no cap", 0, []string{strings.Repeat("x", 100)}, strings.Repeat("x", 100), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := textCap{max: tc.max}
			var b strings.Builder
			capped := false
			for _, s := range tc.chunks {
				capped = c.write(&b, s) || capped
			}
			if b.String() != tc.want || capped != tc.capped {
				t.Errorf("wrote %q (capped %v), want %q (capped %v)", b.String(), capped, tc.want, tc.capped)
			}
		})
	}
}

func TestAnEndlessAnswerIsCappedStoppedAndStored(t *testing.T) {
	const limit = 500
	for name, kind := range map[string]llm.EventKind{"answer": llm.EventAnswer, "reasoning": llm.EventReasoning} {
		t.Run(name, func(t *testing.T) {
			m := newFakeModel()
			store := newEmbeddedStore(t)
			e := newTestEngine(t, Config{MaxAnswerChars: limit}, m, store)
			s := newRecSurface()
			if err := e.Submit(t.Context(), turnFor("tg:1", "q", s)); err != nil {
				t.Fatal(err)
			}
			st := m.Next(t)
			if kind == llm.EventAnswer {
				st.Steps <- step{ev: llmAnswer("é")} // multi-byte, counted as one
			}
			// The server would stream on without end; the engine stops
			// reading after the cap, so 200 chunks of 10 are plenty.
			for range 200 {
				st.Steps <- step{ev: llm.Event{Kind: kind, Text: "0123456789"}}
			}
			<-st.closed
			e.Wait()
			texts := s.Texts()
			last := texts[len(texts)-1]
			if !strings.HasSuffix(last, enCatalog().AnswerCapped) {
				t.Errorf("reply ends %q, want the capped note", last[max(0, len(last)-80):])
			}
			turns := loadTurns(t, store, "tg:1")
			if kind == llm.EventReasoning {
				if len(turns) != 0 {
					t.Errorf("stored %d turns of reasoning only, want none", len(turns))
				}
				return
			}
			if len(turns) != 1 || utf8.RuneCountInString(turns[0].Assistant) != limit {
				t.Fatalf("stored %d turns, want one answer of %d characters", len(turns), limit)
			}
		})
	}
}
