package render

import "testing"

func TestStripTags(t *testing.T) {
	tests := map[string]string{
		"":                         "",
		"plain":                    "plain",
		"<b>bold</b> and <i>…</i>": "bold and …",
		"<blockquote expandable>why</blockquote>": "why",
		"a &lt; b": "a &lt; b",
		"2 > 1":    "2 > 1",
		`<a href="https://x.org/?a=1&amp;b=2">x</a>`: "x",
	}
	for in, want := range tests {
		if got := StripTags(in); got != want {
			t.Errorf("StripTags(%q) = %q, want %q", in, got, want)
		}
	}
}
