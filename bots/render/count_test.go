package render

import "testing"

func TestCount(t *testing.T) {
	tests := []struct {
		name  string
		style Style
		in    string
		want  int
	}{
		{"telegram tags free", TelegramHTML, "<b>ab</b>", 2},
		{"telegram entities count one", TelegramHTML, "&lt;&gt;&amp;&quot;", 4},
		{"telegram numeric entity", TelegramHTML, "&#128512;", 2},
		{"telegram emoji two units", TelegramHTML, "😀", 2},
		{"telegram attributes free", TelegramHTML, `<a href="https://very.long/url">x</a>`, 1},
		{"telegram pre", TelegramHTML, `<pre><code class="language-go">x</code></pre>`, 1},
		{"telegram raw amp", TelegramHTML, "a & b", 5},
		{"discord code points", DiscordMarkdown, "😀é**", 4},
		{"plain utf16", Plain, "😀é", 3},
		{"chinese", TelegramHTML, "你好", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.style, tt.in); got != tt.want {
				t.Errorf("Count(%v, %q) = %d, want %d", tt.style, tt.in, got, tt.want)
			}
		})
	}
}

func TestUTF16Len(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"é", 1},
		{"中", 1},
		{"😀", 2},
		{"𝔸x", 3},
		{"\xff", 1},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := UTF16Len(tt.in); got != tt.want {
				t.Errorf("UTF16Len(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestStyleString(t *testing.T) {
	for style, want := range map[Style]string{Plain: "plain", TelegramHTML: "telegram-html", DiscordMarkdown: "discord-markdown"} {
		if got := style.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(style), got, want)
		}
	}
}
