package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// thinkingHeader starts every thinking section.
const thinkingHeader = "💭 Thinking…"

// Thinking renders a compact live "thinking" section from the model's
// reasoning so far: its LaTeX converted, tail-trimmed to about maxChars
// runes on a word boundary, with a leading "…" when trimmed. TelegramHTML
// gives an expandable blockquote, DiscordMarkdown quoted lines with the
// reasoning's Markdown escaped, Plain the header line and the tail.
func Thinking(style Style, reasoning string, maxChars int) string {
	tail := thinkingTail(LaTeX(sanitize(recent(reasoning, maxChars))), maxChars)
	switch style {
	case TelegramHTML:
		b := []byte("<blockquote expandable>" + thinkingHeader)
		if tail != "" {
			b = append(b, '\n')
			b = escapeHTML(b, tail, false)
		}
		return string(append(b, "</blockquote>"...))
	case DiscordMarkdown:
		var b strings.Builder
		b.WriteString("> " + thinkingHeader)
		for _, line := range strings.Split(tail, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			b.WriteString("\n> ")
			b.WriteString(defuse(escapeDiscordLine(line)))
		}
		return b.String()
	default:
		if tail == "" {
			return thinkingHeader
		}
		return thinkingHeader + "\n" + tail
	}
}

// recent returns the end of s that can matter for a tail of maxChars runes,
// starting at a line break when there is one, so a long reasoning is not
// converted in full on every update.
func recent(s string, maxChars int) string {
	keep := 8*max(maxChars, 0) + 256
	if len(s) <= keep {
		return s
	}
	s = s[len(s)-keep:]
	if i := strings.IndexByte(s, '\n'); i >= 0 && i < keep/2 {
		return s[i+1:]
	}
	for len(s) > 0 && !utf8.RuneStart(s[0]) {
		s = s[1:]
	}
	return s
}

// thinkingTail keeps about the last maxChars runes of s, starting at a word
// boundary when one is near, with runs of blank lines collapsed.
func thinkingTail(s string, maxChars int) string {
	s = strings.TrimSpace(s)
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	if maxChars <= 0 {
		return ""
	}
	n := utf8.RuneCountInString(s)
	if n <= maxChars {
		return s
	}
	cut := len(s)
	for k := 0; k < maxChars-1; k++ { // leave room for the "…"
		_, size := utf8.DecodeLastRuneInString(s[:cut])
		cut -= size
	}
	tail := s[cut:]
	// Start at the next word if it is close; CJK text has no spaces.
	if i := strings.IndexFunc(tail, unicode.IsSpace); i >= 0 && utf8.RuneCountInString(tail[:i]) <= maxChars/4 {
		tail = tail[i:]
	}
	return "…" + strings.TrimLeftFunc(tail, unicode.IsSpace)
}

// escapeDiscordLine escapes Discord Markdown in one line of plain text.
func escapeDiscordLine(line string) string {
	var b []byte
	start := true
	for i := 0; i < len(line); i++ {
		c := line[i]
		if strings.IndexByte("\\*_~`|<>[]", c) >= 0 || (start && strings.IndexByte("#-+", c) >= 0) {
			b = append(b, '\\')
		}
		if c != ' ' && c != '\t' {
			start = false
		}
		b = append(b, c)
	}
	return string(b)
}
