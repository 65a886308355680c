package pace

import (
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/render"
)

func TestLayout(t *testing.T) {
	plain := replyLayout{limits: Limits{MaxLen: 4096}}
	htmlL := replyLayout{limits: Limits{MaxLen: 4096, Format: FormatHTML}}
	tests := []struct {
		name string
		l    replyLayout
		st   State
		f    Format
		want []string
	}{
		{"nothing before the placeholder", plain, State{}, FormatPlain, nil},
		{"placeholder", plain, State{Placeholder: "…"}, FormatPlain, []string{"…"}},
		{"placeholder escaped", htmlL, State{Placeholder: "💭 <…>"}, FormatHTML, []string{"💭 &lt;…&gt;"}},
		{"thinking live", htmlL, State{Reasoning: "Let x be the side."}, FormatHTML,
			[]string{render.Thinking(render.TelegramHTML, "Let x be the side.", thinkingChars)}},
		{"answer leads", htmlL, State{Reasoning: "Let x be the side.", Answer: "The side is 3."}, FormatHTML,
			[]string{render.Render(render.TelegramHTML, "The side is 3.")}},
		{"plain fallback", htmlL, State{Answer: "The side is 3."}, FormatPlain,
			[]string{render.Render(render.Plain, "The side is 3.")}},
		{"note ends the answer", plain, State{Answer: "Half", Final: true, Note: "⏹ stopped"}, FormatPlain,
			[]string{render.Render(render.Plain, "Half") + "\n\n⏹ stopped"}},
		{"note escaped in HTML", htmlL, State{Answer: "Half", Final: true, Note: "a < b"}, FormatHTML,
			[]string{render.Render(render.TelegramHTML, "Half") + "\n\n<i>a &lt; b</i>"}},
		{"note alone", plain, State{Final: true, Note: "Sorry."}, FormatPlain, []string{"Sorry."}},
		{"thinking then note", plain, State{Reasoning: "hmm", Final: true, Note: "⏹ stopped"}, FormatPlain,
			[]string{render.Thinking(render.Plain, "hmm", thinkingChars) + "\n\n⏹ stopped"}},
		{"never ends at the placeholder", plain, State{Final: true, EmptyNote: "Empty."}, FormatPlain, []string{"Empty."}},
		{"whitespace answer streaming", plain, State{Placeholder: "…", Answer: " \n\n "}, FormatPlain, []string{"…"}},
		{"whitespace answer final", plain, State{Answer: " \n\n ", Final: true, EmptyNote: "Empty."}, FormatPlain, []string{"Empty."}},
		{"thinking without answer final", plain, State{Reasoning: "hmm", Answer: "\n", Final: true, EmptyNote: "Empty."}, FormatPlain,
			[]string{render.Thinking(render.Plain, "hmm", thinkingChars) + "\n\nEmpty."}},
		{"empty code block streaming", htmlL, State{Placeholder: "…", Answer: "```\n \n```"}, FormatHTML, []string{"…"}},
		{"empty table streaming", htmlL, State{Placeholder: "…", Answer: "| |\n|-|"}, FormatHTML, []string{"…"}},
		{"empty code block final", htmlL, State{Answer: "```\n \n```", Final: true, EmptyNote: "Empty."}, FormatHTML, []string{"Empty."}},
		{"empty code block in Markdown", plain, State{Placeholder: "…", Answer: "```\n \n```"}, FormatMarkdown, []string{"…"}},
		{"code block with text kept", htmlL, State{Answer: "```\nx\n```"}, FormatHTML,
			[]string{render.Render(render.TelegramHTML, "```\nx\n```")}},
		{"whitespace answer keeps its note", plain, State{Answer: "  ", Final: true, Note: "⏹ stopped", EmptyNote: "Empty."}, FormatPlain, []string{"⏹ stopped"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.l.layout(tc.st, tc.f)
			if strings.Join(got, "\x00") != strings.Join(tc.want, "\x00") {
				t.Errorf("layout = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLayoutSplitsLongAnswers(t *testing.T) {
	para := "The quick brown fox jumps over the lazy dog and keeps running far away. "
	long := strings.Repeat(para, 10) + "\n\n" + strings.Repeat("数学很有趣。", 30)
	tests := []struct {
		name   string
		limits Limits
		f      Format
	}{
		{"runes", Limits{MaxLen: 120}, FormatPlain},
		{"html", Limits{MaxLen: 150, Format: FormatHTML}, FormatHTML},
		{"stricter surface count", Limits{MaxLen: 120, Count: func(s string) int { return len(s) }}, FormatPlain},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := replyLayout{limits: tc.limits}
			parts := l.layout(State{Answer: long, Final: true, Note: "✂️ the answer reached the length limit"}, tc.f)
			if len(parts) < 2 {
				t.Fatalf("%d parts, want the answer split", len(parts))
			}
			for i, p := range parts {
				if n := measure(tc.limits, tc.f, p); n > tc.limits.MaxLen || p == "" {
					t.Errorf("part %d measures %d (limit %d): %q", i, n, tc.limits.MaxLen, p)
				}
			}
			if !strings.Contains(parts[len(parts)-1], "length limit") {
				t.Errorf("last part %q does not end with the note", parts[len(parts)-1])
			}
			if !strings.Contains(strings.Join(parts, ""), "数学很有趣") {
				t.Error("the answer's end was lost")
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	l := Limits{MaxLen: 5}
	for _, tc := range []struct{ in, want string }{
		{"short", "short"},
		{"longer text", "long…"},
		{"日本語のテキスト", "日本語の…"},
	} {
		if got := Truncate(l, tc.in); got != tc.want {
			t.Errorf("Truncate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPlainTextIsMeasuredAsPlain(t *testing.T) {
	htmlCount := func(s string) int { return render.Count(render.TelegramHTML, s) }
	tg := Limits{MaxLen: 40, Count: htmlCount, Format: FormatHTML}
	angles := "k <" + strings.Repeat("1", 30) + "> k" // 36 units; 4 to an HTML count
	t.Run("note after a plain fallback", func(t *testing.T) {
		l := replyLayout{limits: tg}
		parts := l.layout(State{Answer: angles, Final: true, Note: "⏹ stopped"}, FormatPlain)
		for i, p := range parts {
			if n := render.Count(render.Plain, p); n > tg.MaxLen {
				t.Errorf("part %d is %d UTF-16 units long (limit %d): %q", i, n, tg.MaxLen, p)
			}
		}
		if got := strings.Join(parts, "\n"); !strings.Contains(got, "1111") || !strings.Contains(got, "stopped") {
			t.Errorf("parts %q lost the answer or the note", parts)
		}
	})
	t.Run("truncated notice", func(t *testing.T) {
		l := Limits{MaxLen: 10, Count: htmlCount}
		got := Truncate(l, angles)
		if n := render.Count(render.Plain, got); n > l.MaxLen || !strings.HasSuffix(got, "…") {
			t.Errorf("truncate = %q (%d units), want it cut to %d", got, n, l.MaxLen)
		}
	})
}
