package render

import (
	"strings"
	"testing"
)

// benchAnswer is about 1,000 tokens (≈4,000 characters) of Markdown with
// LaTeX, like a full homework solution.
func benchAnswer() string {
	var b strings.Builder
	for i := 0; b.Len() < 4000; i++ {
		b.WriteString(homework)
		b.WriteString("\n\n### Step ")
		b.WriteString(strings.Repeat("I", i%4+1))
		b.WriteString("\n\n- Since $\\angle A = 60^\\circ$ and $\\frac{a+b}{c} \\le \\sqrt{2}$, we get $x_{n+1} = x_n^2 - 1$.\n")
		b.WriteString("- | not a table | but text with `code` and [a link](https://example.com)\n\n")
	}
	return b.String()
}

// BenchmarkRenderStream renders a ~4,000-character answer at 100 growing
// prefixes, as the pacer does while a reply streams; one op is one reply.
func BenchmarkRenderStream(b *testing.B) {
	answer := benchAnswer()
	b.ReportAllocs()
	for b.Loop() {
		for k := 1; k <= 100; k++ {
			Render(TelegramHTML, answer[:len(answer)*k/100])
		}
	}
}

// BenchmarkRender4K renders the full ~4,000-character answer once.
func BenchmarkRender4K(b *testing.B) {
	answer := benchAnswer()
	for _, style := range []Style{TelegramHTML, DiscordMarkdown, Plain} {
		b.Run(style.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Render(style, answer)
			}
		})
	}
}

// BenchmarkSplit splits a ~16,000-character answer for Discord's 2,000
// limit and Telegram's 4,096.
func BenchmarkSplit(b *testing.B) {
	answer := strings.Repeat(benchAnswer()+"\n\n", 4)
	for _, tc := range []struct {
		style Style
		limit int
	}{{DiscordMarkdown, 2000}, {TelegramHTML, 4096}} {
		b.Run(tc.style.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Split(tc.style, answer, tc.limit)
			}
		})
	}
}

// BenchmarkUnclosedLaTeX renders and splits 120 KB of unclosed LaTeX
// openers, which took seconds when every opener rescanned its paragraph.
func BenchmarkUnclosedLaTeX(b *testing.B) {
	for _, tc := range []struct{ name, md string }{
		{"frac", strings.Repeat(`\frac{`, 20000)},
		{"align", strings.Repeat(`\begin{align}`, 10000)},
	} {
		b.Run(tc.name+"/render", func(b *testing.B) {
			for b.Loop() {
				Render(TelegramHTML, tc.md)
			}
		})
		b.Run(tc.name+"/split", func(b *testing.B) {
			for b.Loop() {
				Split(TelegramHTML, tc.md, 4096)
			}
		})
	}
}
