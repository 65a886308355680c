package tgtest

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"
)

// allowedTag reports whether Telegram's HTML parse mode knows the tag.
func allowedTag(name string) bool {
	switch name {
	case "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
		"tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji":
		return true
	}
	return false
}

// parseHTML checks text the way Telegram's HTML parse mode does (tags it
// knows, properly nested and closed) and returns the plain text, or an
// error description in Telegram's words.
func parseHTML(text string) (string, string) {
	var plain strings.Builder
	var open []string
	for i := 0; i < len(text); {
		c := text[i]
		if c != '<' {
			plain.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(text[i:], '>')
		if end < 0 {
			return "", fmt.Sprintf("Unclosed start tag at byte offset %d", i)
		}
		tag := text[i+1 : i+end]
		if name, ok := strings.CutPrefix(tag, "/"); ok {
			name = strings.TrimSpace(name)
			if len(open) == 0 || open[len(open)-1] != name {
				return "", fmt.Sprintf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, last(open), name)
			}
			open = open[:len(open)-1]
		} else {
			name, _, _ := strings.Cut(tag, " ")
			if !allowedTag(name) {
				return "", fmt.Sprintf("Unsupported start tag %q at byte offset %d", name, i)
			}
			open = append(open, name)
		}
		i += end + 1
	}
	if len(open) > 0 {
		return "", fmt.Sprintf("Can't find end tag corresponding to start tag %q", open[len(open)-1])
	}
	return html.UnescapeString(plain.String()), ""
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
