package render

import (
	"strings"
	"testing"
)

// TestSplitWorkLinear checks that Split renders a bounded multiple of its
// input to measure parts, however many parts there are: measuring the
// whole rest, or a far paragraph boundary, for every part is quadratic.
func TestSplitWorkLinear(t *testing.T) {
	words := strings.Repeat("word word word. ", 1600)
	tests := []struct {
		name string
		md   string
	}{
		{"unclosed frac", strings.Repeat(`\frac{`, 4000)},
		{"unclosed sqrt", strings.Repeat(`\sqrt[`, 4000)},
		{"unclosed align", strings.Repeat(`\begin{align}`, 2000)},
		{"one long paragraph", "intro\n\n" + words + "\n\nend"},
		{"paragraphs", strings.Repeat("a short paragraph.\n\n", 1200)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSplitter(Plain, tc.md, 100)
			parts := s.split()
			if err := checkSplit(Plain, tc.md, 100, parts); err != nil {
				t.Fatal(err)
			}
			if ratio := s.measured / len(tc.md); ratio > 30 {
				t.Errorf("rendered %d× the input (%d bytes, %d parts) to measure parts",
					ratio, len(tc.md), len(parts))
			}
		})
	}
}

// TestRenderUnclosedLinear renders long runs of unclosed LaTeX, which
// took seconds when every opener rescanned the rest of its paragraph.
func TestRenderUnclosedLinear(t *testing.T) {
	for _, md := range []string{
		strings.Repeat(`\frac{`, 40000),
		strings.Repeat(`\sqrt[`, 40000),
		strings.Repeat(`\begin{align}`, 20000),
		strings.Repeat(`\begin{`, 40000),
	} {
		if got := Render(Plain, md); len(got) < len(md)/2 {
			t.Errorf("Render(%.12q…) lost text: %d of %d bytes", md, len(got), len(md))
		}
	}
}
