package render

import (
	"strings"
	"sync"
	"testing"
)

// homework is a typical streamed answer: Markdown with inline and display
// math, a list, a quote, code and a boxed result.
const homework = "**Solution:**\n\n" +
	"Let the sides be $a = 3\\text{ cm}$ and $b = 4\\text{ cm}$. The area is\n\n" +
	"$$S = \\frac{1}{2}ab\\sin C = \\frac{1}{2} \\times 3 \\times 4 \\times \\sin 30^\\circ = 3$$\n\n" +
	"1. First, $\\sqrt{16} = 4$.\n" +
	"2. Then $x^2 + y^2 = 25$, so $x_1 = 3$.\n\n" +
	"> Note: $\\pi \\approx 3.14$\n\n" +
	"```python\nprint(3 * 4 / 2)  # <area>\n```\n\n" +
	"**Answer:** $\\boxed{3}$"

func TestRenderTelegram(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"homework", homework, "<b>Solution:</b>\n\n" +
			"Let the sides be a = 3 cm and b = 4 cm. The area is\n\n" +
			"S = 1/2ab sin C = 1/2 × 3 × 4 × sin 30° = 3\n\n" +
			"1. First, √16 = 4.\n" +
			"2. Then x² + y² = 25, so x₁ = 3.\n\n" +
			"<blockquote>Note: π ≈ 3.14</blockquote>\n\n" +
			`<pre><code class="language-python">print(3 * 4 / 2)  # &lt;area&gt;</code></pre>` + "\n\n" +
			"<b>Answer:</b> [3]"},
		{"chinese answer", "**答案：**是$\\frac{1}{2}$。\n\n因为 $S_{\\triangle ABC}=\\frac{1}{2}ah$，所以面积为 $6\\text{ cm}^2$。",
			"<b>答案：</b>是1/2。\n\n因为 S_(△ABC)=1/2ah，所以面积为 6 cm²。"},
		{"raw html escaped", "<script>alert('x')</script> & <b>bold</b>",
			"&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"},
		{"html block escaped", "<div>\n<p>hi</p>\n</div>", "&lt;div&gt;\n&lt;p&gt;hi&lt;/p&gt;\n&lt;/div&gt;"},
		{"entities", "a &lt; b &copy; &amp; \\*x\\*", "a &lt; b © &amp; *x*"},
		{"emphasis", "*it* _it_ **b** __b__ ***bi*** ~~s~~", "<i>it</i> <i>it</i> <b>b</b> <b>b</b> <i><b>bi</b></i> <s>s</s>"},
		{"products are not emphasis", "2*3*4 = 24 and a*b*c", "2*3*4 = 24 and a*b*c"},
		{"powers are not bold", "a**2 + b**2 = c**2", "a**2 + b**2 = c**2"},
		{"chinese product", "答案是3*4*5=60，即*3*个", "答案是3*4*5=60，即*3*个"},
		{"chinese bold number", "答案是**3**个", "答案是<b>3</b>个"},
		{"emphasis at word boundaries", "a *b* c **d**, (*e*) **f**:", "a <i>b</i> c <b>d</b>, (<i>e</i>) <b>f</b>:"},
		{"single tilde is not strike", "3~5 and ~6~", "3~5 and ~6~"},
		{"math underscores are not emphasis", "$a_1 * b_1$ and $c_1 * d_1$", "a₁ * b₁ and c₁ * d₁"},
		{"math not in code", "`$x^2$` and\n\n```\n$\\frac{1}{2}$\n```", "<code>$x^2$</code> and\n\n<pre>$\\frac{1}{2}$</pre>"},
		{"money", "It costs $5 and $10.", "It costs $5 and $10."},
		{"code in bold", "**bold `code` more**", "<b>bold </b><code>code</code><b> more</b>"},
		{"code only in bold", "**`code`**", "<code>code</code>"},
		{"links", "[a](https://a.b/?x=1&y=\"2\") [t](tg://user?id=1) [m](mailto:x@y.z) [j](javascript:alert(1)) [r](/rel)",
			`<a href="https://a.b/?x=1&amp;y=&quot;2&quot;">a</a> <a href="tg://user?id=1">t</a> <a href="mailto:x@y.z">m</a> j r`},
		{"malformed links", "[h](http://) [s](<https://a.b/c d>) [m](mailto:nobody)",
			`h <a href="https://a.b/c%20d">s</a> m`},
		{"code in link", "[`x`](https://a.b)", `<a href="https://a.b">x</a>`},
		{"autolinks", "<https://a.b> <me@x.org>", `<a href="https://a.b">https://a.b</a> <a href="mailto:me@x.org">me@x.org</a>`},
		{"image", "![graph](https://x.y/g.png) ![](https://x.y/h.png) ![alt](data:x)",
			`<a href="https://x.y/g.png">graph</a> <a href="https://x.y/h.png">image</a> alt`},
		{"headings", "# One\n## Two\nText", "<b>One</b>\n\n<b>Two</b>\n\nText"},
		{"rule", "a\n\n---\n\nb", "a\n\n———\n\nb"},
		{"nested lists", "- a\n  1. x\n  2. y\n- b\n  - c\n    - d", "• a\n  1. x\n  2. y\n• b\n  ◦ c\n    ▪ d"},
		{"ordered start", "3. c\n4. d", "3. c\n4. d"},
		{"task list", "- [ ] todo\n- [x] done", "• ☐ todo\n• ☑ done"},
		{"table as pre", "| x | y |\n|:-|-:|\n| 1 | 20 |", "<pre>x │  y\n──┼───\n1 │ 20</pre>"},
		{"wide table as lines", "| name | description |\n|---|---|\n| alpha | " + strings.Repeat("long ", 10) + "|",
			"<b>name | description</b>\nalpha | " + strings.TrimSpace(strings.Repeat("long ", 10))},
		{"nested quote flattened", "> a\n>\n> > b", "<blockquote>a\n\nb</blockquote>"},
		{"code in quote", "> ```\n> x < y\n> ```", "<blockquote>x &lt; y</blockquote>"},
		{"open fence while streaming", "Code:\n\n```go\nfunc main() {", "Code:\n\n<pre><code class=\"language-go\">func main() {</code></pre>"},
		{"empty open fence", "```go\n", ""},
		{"dangling bold", "Streaming **half bold", "Streaming **half bold"},
		{"half link", "see [the docs](https://exa", "see [the docs](https://exa"},
		{"line breaks", "one\ntwo  \nthree\\\nfour", "one\ntwo\nthree\nfour"},
		{"bad language dropped", "```a<b\nx\n```", "<pre>x</pre>"},
		{"language kept", "```c++\nx\n```", `<pre><code class="language-c++">x</code></pre>`},
		{"indented code", "    x := <1>", "<pre>x := &lt;1&gt;</pre>"},
		{"empty", "", ""},
		{"invalid utf8 and nul", "a\xffb\x00c\r\nd", "a\ufffdb\ufffdc\nd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(TelegramHTML, tt.md)
			if got != tt.want {
				t.Errorf("Render(TelegramHTML, %q)\n got %q\nwant %q", tt.md, got, tt.want)
			}
			if err := validateTelegramHTML(got); err != nil {
				t.Errorf("invalid Telegram HTML %q: %v", got, err)
			}
		})
	}
}

func TestRenderDiscord(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"homework", homework, "**Solution:**\n\n" +
			"Let the sides be a = 3 cm and b = 4 cm. The area is\n\n" +
			"S = 1/2ab sin C = 1/2 × 3 × 4 × sin 30° = 3\n\n" +
			"1. First, √16 = 4.\n" +
			"2. Then x² + y² = 25, so x₁ = 3.\n\n" +
			"> Note: π ≈ 3.14\n\n" +
			"```python\nprint(3 * 4 / 2)  # <area>\n```\n\n" +
			"**Answer:** \\[3\\]"},
		{"mass mentions defused", "@everyone look, @here too", "@\u200beveryone look, @\u200bhere too"},
		{"mentions in code kept", "`@everyone` and\n```\n@here\n```", "`@everyone` and\n```\n@here\n```"},
		{"open fence closed", "Code:\n```js\nlet x = 1;", "Code:\n```js\nlet x = 1;\n```"},
		{"open tilde fence closed", "~~~~\nx", "~~~~\nx\n~~~~"},
		{"open fence in quote closed", "> ```\n> x", "> ```\n> x\n> ```"},
		{"math escaped for markdown", "$a*b*c$ and $x_1 + y_1$", "a\\*b\\*c and x₁ + y₁"},
		{"display math line start escaped", "$$-x$$", "\\-x"},
		{"math not in code", "`$x^2$` and $x^2$", "`$x^2$` and x²"},
		{"markdown passes through", "# H\n\n- **a** [l](https://x)", "# H\n\n- **a** [l](https://x)"},
		{"money", "$5 and $10", "$5 and $10"},
		{"small headings bold", "### Kept\n#### Step $n^2$\n##### **Done**", "### Kept\n**Step n²**\n**Done**"},
		{"table as code block", "| x | $x^2$ |\n|---|--:|\n| 3 | 9 |\n\nafter", "```\nx │ x²\n──┼───\n3 │  9\n```\n\nafter"},
		{"table in quote", "> | a | b |\n> |---|---|\n> | 1 | 2 |", "> ```\n> a │ b\n> ──┼──\n> 1 │ 2\n> ```"},
		{"wide table as lines", "| name | description |\n|---|---|\n| a*b | " + strings.Repeat("long ", 12) + "|",
			"**name | description**\na\\*b | " + strings.TrimSpace(strings.Repeat("long ", 12))},
		{"pipes in text kept", "a | b and `x | y`", "a | b and `x | y`"},
		{"products escaped", "2*3*4 = 24, a**2 + b**2, 答案是3*4*5=60", "2\\*3\\*4 = 24, a\\*\\*2 + b\\*\\*2, 答案是3\\*4\\*5=60"},
		{"emphasis kept", "**答案：**是**3**个, *it*", "**答案：**是**3**个, *it*"},
		{"stars in code and urls kept", "`2*3*4` <https://x.org/a*b*c> [l](https://x.org/2*3)", "`2*3*4` <https://x.org/a*b*c> [l](https://x.org/2*3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(DiscordMarkdown, tt.md); got != tt.want {
				t.Errorf("Render(DiscordMarkdown, %q)\n got %q\nwant %q", tt.md, got, tt.want)
			}
		})
	}
}

func TestRenderPlain(t *testing.T) {
	tests := []struct {
		name, md, want string
	}{
		{"markup dropped", "# T\n\n**b** *i* `c` ~~s~~", "T\n\nb i c s"},
		{"links show url", "[docs](https://d.io) [https://x.y](https://x.y) [rel](/r)", "docs (https://d.io) https://x.y rel"},
		{"quote and code", "> q1\n> q2\n\n```\n<x>\n```", "> q1\n> q2\n\n<x>"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2"},
		{"math", "$\\alpha^2$", "α²"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(Plain, tt.md); got != tt.want {
				t.Errorf("Render(Plain, %q)\n got %q\nwant %q", tt.md, got, tt.want)
			}
		})
	}
}

// TestRenderStreamingPrefixes renders every prefix of an answer, as the
// pacer does while it streams, and checks each is valid Telegram HTML.
func TestRenderStreamingPrefixes(t *testing.T) {
	answer := homework + "\n\n| a | b |\n|---|---|\n| [x](https://x) | `y` |\n\n- item **bold _nested_**"
	for i := range len(answer) + 1 {
		prefix := answer[:i]
		if err := validateTelegramHTML(Render(TelegramHTML, prefix)); err != nil {
			t.Fatalf("prefix %q: %v", prefix, err)
		}
	}
}

// TestRenderConcurrent renders from several goroutines at once; run under
// -race it checks the shared parser holds no mutable state.
func TestRenderConcurrent(t *testing.T) {
	want := Render(TelegramHTML, homework)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			if got := Render(TelegramHTML, homework); got != want {
				errs <- got
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("concurrent Render = %q, want %q", got, want)
	}
}
