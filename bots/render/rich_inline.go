package render

import (
	"strings"
)

// richInline converts one line of prose (or a table row): math delimiters
// become $…$, code spans stay verbatim, and what rich Markdown would misread
// is escaped. incomplete marks the partial answer's unfinished last line:
// an unclosed formula, code span or bold run is cut off at its opening.
func richInline(s string, table, incomplete bool) string {
	var b strings.Builder
	bold := -1 // output offset of an unmatched "**"
	for i := 0; i < len(s); i++ {
		ch := s[i]
		rest := s[i:]
		switch {
		case ch == '`':
			n := len(rest) - len(strings.TrimLeft(rest, "`"))
			j := strings.Index(rest[n:], rest[:n])
			if j < 0 {
				if incomplete {
					return cutAt(&b, bold)
				}
				b.WriteString(strings.Repeat("\\`", n))
				i += n - 1
				continue
			}
			b.WriteString(rest[:n+j+n])
			i += n + j + n - 1
		case strings.HasPrefix(rest, `\(`), strings.HasPrefix(rest, `\[`):
			closer := `\)`
			if rest[1] == '[' {
				closer = `\]`
			}
			j := strings.Index(rest[2:], closer)
			if j < 0 {
				if incomplete && rest[1] == '(' {
					return cutAt(&b, bold)
				}
				b.WriteString(rest[:2])
				i++
				continue
			}
			writeMath(&b, rest[2:2+j], table)
			i += 2 + j + 1
		case ch == '\\' && i+1 == len(s) && incomplete:
			return cutAt(&b, bold)
		case ch == '\\' && i+1 < len(s):
			b.WriteString(rest[:2]) // an escape the model wrote stays one
			i++
		case strings.HasPrefix(rest, "$$"):
			j := strings.Index(rest[2:], "$$")
			if j < 0 {
				if incomplete {
					return cutAt(&b, bold)
				}
				b.WriteString(`\$\$`)
				i++
				continue
			}
			writeMath(&b, rest[2:2+j], table)
			i += 2 + j + 1
		case ch == '$':
			j := closingDollar(rest[1:])
			if j < 0 {
				if incomplete && strings.IndexByte(rest[1:], '$') < 0 {
					return cutAt(&b, bold)
				}
				b.WriteString(`\$`)
				continue
			}
			writeMath(&b, rest[1:1+j], table)
			i += 1 + j
		case strings.HasPrefix(rest, "**"):
			if bold < 0 {
				bold = b.Len()
			} else {
				bold = -1
			}
			b.WriteString("**")
			i++
		default:
			writeEscaped(&b, s, i, table)
		}
	}
	if incomplete {
		return cutAt(&b, bold)
	}
	return b.String()
}

// writeMath writes an inline formula, or nothing for an empty one.
func writeMath(b *strings.Builder, src string, table bool) {
	if m := inlineMath(src, table); m != "" {
		b.WriteString("$" + m + "$")
	}
}

// writeEscaped writes s[i], escaped when rich Markdown would read it as
// markup the model did not mean: "==" (marked text), "||" (a spoiler)
// outside tables, a lone "~" (strikethrough), and "<" starting a tag.
func writeEscaped(b *strings.Builder, s string, i int, table bool) {
	ch := s[i]
	prev, next := byte(0), byte(0)
	if i > 0 {
		prev = s[i-1]
	}
	if i+1 < len(s) {
		next = s[i+1]
	}
	switch {
	case ch == '=' && (prev == '=' || next == '='):
		b.WriteString(`\=`)
	case ch == '|' && !table && (prev == '|' || next == '|'):
		b.WriteString(`\|`)
	case ch == '~' && prev != '~' && next != '~':
		b.WriteString(`\~`)
	case ch == '<' && (isASCIILetter(next) || next == '/' || next == '!' || next == '?'):
		b.WriteString(`\<`)
	default:
		b.WriteByte(ch)
	}
}

// cutAt returns what b holds, cut before offset at when it is set (≥ 0),
// without trailing spaces.
func cutAt(b *strings.Builder, at int) string {
	s := b.String()
	if at >= 0 {
		s = s[:at]
	}
	return strings.TrimRight(s, " ")
}
