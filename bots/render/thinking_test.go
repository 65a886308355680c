package render

import (
	"strings"
	"testing"
)

func TestThinking(t *testing.T) {
	long := "First I compute the area of the triangle. Then the perimeter follows from the sides."
	tests := []struct {
		name      string
		style     Style
		reasoning string
		max       int
		want      string
	}{
		{"telegram empty", TelegramHTML, "", 100, "<blockquote expandable>💭 Thinking…</blockquote>"},
		{"telegram escaped", TelegramHTML, "is a<b && c>d?", 100, "<blockquote expandable>💭 Thinking…\nis a&lt;b &amp;&amp; c&gt;d?</blockquote>"},
		{"telegram latex", TelegramHTML, "so $x^2 = \\frac{1}{4}$", 100, "<blockquote expandable>💭 Thinking…\nso x² = 1/4</blockquote>"},
		{"tail on word boundary", Plain, long, 30, "💭 Thinking…\n…follows from the sides."},
		{"tail without spaces", Plain, strings.Repeat("算", 50), 10, "💭 Thinking…\n…" + strings.Repeat("算", 9)},
		{"plain empty", Plain, "  ", 100, "💭 Thinking…"},
		{"zero max", Plain, long, 0, "💭 Thinking…"},
		{"discord quoted and escaped", DiscordMarkdown, "# Step\n\n\n**b** _x_ @everyone\n- item", 100,
			"> 💭 Thinking…\n> \\# Step\n> \\*\\*b\\*\\* \\_x\\_ @\u200beveryone\n> \\- item"},
		{"long reasoning", Plain, strings.Repeat("step one.\n", 5000) + "final $x^2$ step", 12, "💭 Thinking…\n…x² step"},
		{"blank lines collapsed", Plain, "a\n\n\n\nb", 100, "💭 Thinking…\na\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Thinking(tt.style, tt.reasoning, tt.max); got != tt.want {
				t.Errorf("Thinking(%v, %q, %d)\n got %q\nwant %q", tt.style, tt.reasoning, tt.max, got, tt.want)
			}
		})
	}
}

func TestThinkingTailLength(t *testing.T) {
	reasoning := strings.Repeat("word ", 500)
	for _, max := range []int{10, 50, 200} {
		tail := thinkingTail(reasoning, max)
		if n := len([]rune(tail)); n > max || n < max*3/4-1 || !strings.HasPrefix(tail, "…") {
			t.Errorf("thinkingTail(max=%d) = %q (%d runes)", max, tail, n)
		}
	}
}
