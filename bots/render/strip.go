package render

import "strings"

// StripTags returns Telegram HTML without its tags (<b>, <i>…</i>,
// <blockquote expandable>), entities left as they are: the text a reader
// sees, before unescaping.
func StripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
