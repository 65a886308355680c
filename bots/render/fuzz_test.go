package render

import (
	"strings"
	"testing"
)

// fuzzSeeds are Markdown fragments that exercise the tricky paths: open
// fences, dangling emphasis, raw HTML, math, tables, nested containers.
var fuzzSeeds = []string{
	"",
	"plain text",
	"# Heading\n\n**bold** *it* ~~s~~ `code` [a](https://a.b?x=1&y=2)",
	"```go\nfunc main() {\n\tfmt.Println(\"<hi>\")\n}\n```",
	"```python\nprint(1)",
	"Streaming **half bold and [half link](http://exa",
	"<script>alert('x')</script> & <b>raw</b>",
	"$$\\frac{a}{b}$$ and $x^2$ and \\(\\sqrt{x}\\) and \\[y_1\\]",
	"| a | b |\n|---|:-:|\n| 1 | **2** |\n| `x` | [l](http://l) |",
	"> quote\n> > nested\n> ```\n> code\n> ```",
	"1. one\n   - two\n     ```\n     code\n     ```\n2. three",
	"- [ ] task\n- [x] done",
	"**`code` in bold** and [`code` in link](https://x)",
	"![alt](https://img.png) ![](javascript:alert(1))",
	"&amp; &lt; &#60; &copy; \\* \\_",
	"**答案：**是 $\\frac{1}{2}$，3~5个",
	"😀 emoji 𝔸 and \u200b zero width",
	"line  \nbreak\\\nback",
	"***bold italic*** __under__ _em_",
	"<https://auto.link> <mail@example.com>",
	"Setext\n===\n\n---\n\n***",
	"    indented code\n\n\ttab code",
	"[ref]\n\n[ref]: https://example.com \"title\"",
	"$5 and $10 and $x$",
	"```\nunclosed fence with $math$ and <tags>",
	"~~~\ntilde fence\n~~~",
	"a\r\nb\rc\x00d",
	"\xff\xfe invalid utf8",
}

func FuzzTelegramHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		out := Render(TelegramHTML, md)
		if err := validateTelegramHTML(out); err != nil {
			t.Fatalf("Render(TelegramHTML, %q) = %q: %v", md, out, err)
		}
		if th := Thinking(TelegramHTML, md, 200); validateTelegramHTML(th) != nil {
			t.Fatalf("Thinking(TelegramHTML, %q) = %q is invalid", md, th)
		}
	})
}

func FuzzSplit(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, 40+i*7, uint8(i))
	}
	f.Add(strings.Repeat("word ", 200), 64, uint8(2))
	f.Add("```js\n"+strings.Repeat("let x = 1;\n", 40)+"```", 100, uint8(1))
	f.Add(strings.Repeat("😀", 100), 41, uint8(0))
	f.Fuzz(func(t *testing.T, md string, limit int, style uint8) {
		if len(md) > 4000 {
			return
		}
		if limit < 0 {
			limit = -limit
		}
		limit = 40 + limit%400
		st := Style(style % 3)
		parts := Split(st, md, limit)
		if err := checkSplit(st, md, limit, parts); err != nil {
			t.Fatalf("Split(%v, %q, %d) = %q: %v", st, md, limit, parts, err)
		}
	})
}
