package render

import (
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	para := func(word string, n int) string { return strings.TrimSpace(strings.Repeat(word+" ", n)) }
	code := "```python\n" + strings.Repeat("print('hello world')\n", 12) + "```"
	tests := []struct {
		name  string
		style Style
		md    string
		limit int
		// want, when set, is the exact expected parts.
		want []string
		// check runs extra assertions on the parts.
		check func(t *testing.T, parts []string)
	}{
		{
			name: "fits", style: TelegramHTML, md: "**short** answer", limit: 100,
			want: []string{"**short** answer"},
		},
		{
			name: "paragraphs", style: Plain, md: "first paragraph\n\nsecond paragraph\n\nthird", limit: 35,
			want: []string{"first paragraph\n\nsecond paragraph", "third"},
		},
		{
			name: "lines before words", style: Plain, md: "line one is here\nline two is here\nline three", limit: 36,
			want: []string{"line one is here\nline two is here", "line three"},
		},
		{
			name: "words", style: Plain, md: para("word", 30), limit: 40,
			check: func(t *testing.T, parts []string) {
				for _, p := range parts {
					if strings.HasPrefix(p, "ord") || strings.HasSuffix(p, "wor") {
						t.Errorf("cut inside a word: %q", p)
					}
				}
			},
		},
		{
			name: "hard cut", style: Plain, md: strings.Repeat("x", 100), limit: 30,
			check: func(t *testing.T, parts []string) {
				if len(parts) != 4 || parts[0] != strings.Repeat("x", 30) {
					t.Errorf("parts = %q", parts)
				}
			},
		},
		{
			name: "surrogate pairs", style: TelegramHTML, md: strings.Repeat("😀", 50), limit: 25,
			check: func(t *testing.T, parts []string) {
				for _, p := range parts {
					if UTF16Len(p) > 25 || UTF16Len(p)%2 != 0 {
						t.Errorf("part %q has %d UTF-16 units", p, UTF16Len(p))
					}
				}
			},
		},
		{
			name: "fence reopened discord", style: DiscordMarkdown, md: "Here is code:\n\n" + code + "\n\nDone.", limit: 150,
			check: func(t *testing.T, parts []string) {
				if len(parts) < 3 {
					t.Fatalf("parts = %q", parts)
				}
				for i, p := range parts {
					if strings.Count(p, "```")%2 != 0 {
						t.Errorf("part %d has unbalanced fences: %q", i, p)
					}
				}
				if !strings.HasPrefix(parts[1], "```python\n") {
					t.Errorf("fence not reopened with its info string: %q", parts[1])
				}
			},
		},
		{
			name: "fence reopened telegram", style: TelegramHTML, md: code, limit: 120,
			check: func(t *testing.T, parts []string) {
				for i, p := range parts {
					r := Render(TelegramHTML, p)
					if !strings.HasPrefix(r, `<pre><code class="language-python">`) || !strings.HasSuffix(r, "</code></pre>") {
						t.Errorf("part %d renders %q", i, r)
					}
				}
			},
		},
		{
			name: "fence in blockquote", style: DiscordMarkdown, md: "> ```\n" + strings.Repeat("> line of code\n", 10) + "> ```", limit: 80,
			check: func(t *testing.T, parts []string) {
				if !strings.HasPrefix(parts[1], "> ```\n> line") {
					t.Errorf("second part %q", parts[1])
				}
			},
		},
		{
			name: "math kept whole", style: Plain, md: "So $a + b + c + d + e + f$ holds " + para("and", 10), limit: 40,
			check: func(t *testing.T, parts []string) {
				if !strings.Contains(parts[0], "$a + b + c + d + e + f$") {
					t.Errorf("math was cut: %q", parts)
				}
			},
		},
		{
			name: "chinese punctuation", style: TelegramHTML, md: strings.Repeat("这是一个句子，", 20), limit: 30,
			check: func(t *testing.T, parts []string) {
				for _, p := range parts[:len(parts)-1] {
					if !strings.HasSuffix(p, "，") {
						t.Errorf("cut not after punctuation: %q", p)
					}
				}
			},
		},
		{
			name: "telegram counts text not tags", style: TelegramHTML, md: "**" + strings.Repeat("a", 20) + "** and [link](https://example.com/very/long/path)", limit: 30,
			want: []string{"**" + strings.Repeat("a", 20) + "** and [link](https://example.com/very/long/path)"},
		},
		{
			name: "bold kept whole at word cuts", style: TelegramHTML, md: "intro **bold words that go on** and a tail", limit: 26,
			want: []string{"intro", "**bold words that go on** and", "a tail"},
		},
		{
			name: "bold kept whole at hard cuts", style: TelegramHTML, md: strings.Repeat("x", 20) + " **" + strings.Repeat("y", 50) + "**", limit: 60,
			want: []string{strings.Repeat("x", 20), "**" + strings.Repeat("y", 50) + "**"},
		},
		{
			name: "strikethrough kept whole", style: DiscordMarkdown, md: "a b c ~~struck out words~~ d", limit: 24,
			want: []string{"a b c", "~~struck out words~~ d"},
		},
		{
			name: "link kept whole", style: DiscordMarkdown, md: "see [the label](https://example.com/" + strings.Repeat("p", 30) + ") now", limit: 66,
			want: []string{"see", "[the label](https://example.com/" + strings.Repeat("p", 30) + ")", "now"},
		},
		{
			name: "bold longer than the limit is cut", style: TelegramHTML, md: "**" + para("word", 20) + "**", limit: 40,
			check: func(t *testing.T, parts []string) {
				if len(parts) < 3 {
					t.Errorf("parts = %q", parts)
				}
			},
		},
		{
			name: "whitespace only", style: Plain, md: " \n\n ", limit: 10, want: nil,
		},
		{
			name: "no limit", style: Plain, md: "abc", limit: 0, want: []string{"abc"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := Split(tt.style, tt.md, tt.limit)
			if tt.want != nil || tt.check == nil {
				if strings.Join(parts, "\x00") != strings.Join(tt.want, "\x00") || len(parts) != len(tt.want) {
					t.Fatalf("Split = %q, want %q", parts, tt.want)
				}
			}
			if tt.limit > 0 {
				if err := checkSplit(tt.style, tt.md, tt.limit, parts); err != nil {
					t.Fatal(err)
				}
			}
			if tt.check != nil {
				tt.check(t, parts)
			}
		})
	}
}
