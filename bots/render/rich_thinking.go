package render

import (
	"strings"
)

// RichThinkingHeader starts a rich thinking section (RichThinking).
const RichThinkingHeader = "> " + thinkingHeader

// RichThinking renders the live "thinking" section of a rich message: a
// quotation of the reasoning's tail (about maxChars runes, its LaTeX made
// readable text), every Markdown character escaped so that the model's
// half-written reasoning can never be misread. RichDraft turns it into
// Telegram's native thinking block in a draft.
func RichThinking(reasoning string, maxChars int) string {
	tail := thinkingTail(LaTeX(sanitize(recent(reasoning, maxChars))), maxChars)
	var b strings.Builder
	b.WriteString(RichThinkingHeader)
	for _, line := range strings.Split(tail, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		b.WriteString("\n>\n> ")
		b.WriteString(RichEscape(strings.TrimSpace(line)))
	}
	return b.String()
}

// RichDraft returns rich Markdown md as a draft shows it: a leading
// thinking section (RichThinking) becomes the <tg-thinking> block that only
// sendRichMessageDraft takes, followed by the quoted reasoning, and the rest
// of md stays as it is.
func RichDraft(md string) string {
	rest, ok := strings.CutPrefix(md, RichThinkingHeader)
	if !ok {
		return md
	}
	block := "<tg-thinking>" + thinkingHeader + "</tg-thinking>"
	rest = strings.TrimPrefix(rest, "\n>\n")
	if strings.TrimSpace(rest) == "" {
		return block
	}
	return block + "\n\n" + rest
}

// richSpecial are the ASCII punctuation characters RichEscape escapes.
const richSpecial = "\\`*_[]()<>|~=$#+-!{}.&^"

// RichEscape escapes s, plain text, for rich Markdown: every character that
// could start markup gets a backslash, which Markdown reads as that
// character.
func RichEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && strings.ContainsRune(richSpecial, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
