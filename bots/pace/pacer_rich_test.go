package pace

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// richLimits are a rich surface's limits with room for a few answers.
var richLimits = Limits{MaxLen: 100, Format: FormatRich, RichMaxLen: 2000, RichMaxBlocks: 50}

// TestPacerRichFallsBack shows that a refused rich state falls back to
// HTML, and a refused HTML state to plain text, for the rest of the reply.
func TestPacerRichFallsBack(t *testing.T) {
	tests := []struct {
		name   string
		refuse map[Format]bool
		want   []Format
	}{
		{"rich accepted", nil, []Format{FormatRich, FormatRich, FormatRich}},
		{"rich refused", map[Format]bool{FormatRich: true}, []Format{FormatRich, FormatHTML, FormatHTML, FormatHTML}},
		{"rich and HTML refused", map[Format]bool{FormatRich: true, FormatHTML: true},
			[]Format{FormatRich, FormatHTML, FormatPlain, FormatPlain, FormatPlain}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, richLimits, nil)
				r.fs.Hook = func(c fakeCall) error {
					if c.Op != "typing" && tt.refuse[c.Out.Format] {
						return ErrBadFormat
					}
					return nil
				}
				r.p.Update(State{Answer: "The root is $x = 2$"})
				r.p.Start(t.Context())
				synctest.Wait()
				r.p.Update(State{Answer: "The root is $x = 2$, so"})
				synctest.Wait()
				final := State{Answer: "The root is $x = 2$, so we are done."}
				if _, err := finishing(t, r.clk, time.Second, r.p, t.Context(), final); err != nil {
					t.Fatalf("Finish: %v", err)
				}
				var got []Format
				for _, c := range r.fs.Calls("send", "edit") {
					got = append(got, c.Out.Format)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("formats = %v, want %v", got, tt.want)
				}
				for i := range got {
					if got[i] != tt.want[i] {
						t.Fatalf("formats = %v, want %v", got, tt.want)
					}
				}
				last := r.fs.Calls("send", "edit")[len(got)-1].Out
				if last.Format == FormatRich && !strings.Contains(last.Text, "$x = 2$") {
					t.Errorf("final rich text %q lost the formula", last.Text)
				}
			})
		})
	}
}

func TestRichLayout(t *testing.T) {
	layout := LayoutFor(richLimits)
	tests := []struct {
		name string
		st   State
		want []string
	}{
		{"placeholder escaped", State{Placeholder: "Working… (1/2)"}, []string{`Working… \(1/2\)`}},
		{"thinking quoted", State{Reasoning: "a = b"}, []string{"> 💭 Thinking…\n>\n> a \\= b"}},
		{"partial formula held back", State{Answer: "So $$\nx = \\frac{1"}, []string{"So"}},
		{"final with note", State{Answer: "$x^2$", Final: true, Note: "⚠️ stopped"}, []string{"$x^2$\n\n*⚠️ stopped*"}},
		{"empty final shows its note", State{Final: true, EmptyNote: "no answer"}, []string{"*no answer*"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := layout(tt.st, FormatRich)
			if strings.Join(got, "\x00") != strings.Join(tt.want, "\x00") {
				t.Errorf("layout = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRichLayoutSplitsBeyondLimits(t *testing.T) {
	l := richLimits
	l.RichMaxLen = 400
	var b strings.Builder
	for i := range 40 {
		b.WriteString("Step with $x_" + strings.Repeat("1", i%3+1) + " = 2$ done.\n\n")
	}
	parts := LayoutFor(l)(State{Answer: b.String(), Final: true}, FormatRich)
	if len(parts) < 2 {
		t.Fatalf("got %d parts, want several", len(parts))
	}
	for i, p := range parts {
		if n := len([]rune(p)); n > l.RichMaxLen {
			t.Errorf("part %d has %d characters", i, n)
		}
		if strings.Count(p, "$")%2 != 0 {
			t.Errorf("part %d splits a formula: %q", i, p)
		}
	}
}
