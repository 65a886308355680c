package render

import (
	"slices"
	"testing"
)

func TestMarkupRanges(t *testing.T) {
	tests := []struct {
		name, md string
		want     []string // innermost first
	}{
		{"bold and italic", "a **b c** and *d* e", []string{"**b c**", "*d*"}},
		{"underscores", "__b__ _i_", []string{"__b__", "_i_"}},
		{"nested", "**a *b* c**", []string{"*b*", "**a *b* c**"}},
		{"bold code", "**`x` y**", []string{"**`x` y**"}},
		{"strikethrough", "x ~~gone~~ y", []string{"~~gone~~"}},
		{"inline link", "see [a (b)](https://x.org/p_(q)) now", []string{"[a (b)](https://x.org/p_(q))"}},
		{"link with title", `[t](/u "title") z`, []string{`[t](/u "title")`}},
		{"reference link", "[t][ref] z\n\n[ref]: https://x.org", []string{"[t][ref]"}},
		{"shortcut reference", "[ref] z\n\n[ref]: https://x.org", []string{"[ref]"}},
		{"bold link", "**[l](u)**", []string{"[l](u)", "**[l](u)**"}},
		{"arithmetic", "2*3*4 and a**2", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			markup := markupRanges{md: tt.md}
			scanParts(tt.md, &markup)
			var got []string
			for _, s := range markup.ranges {
				got = append(got, tt.md[s.start:s.end])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("markup ranges = %q, want %q", got, tt.want)
			}
		})
	}
}
