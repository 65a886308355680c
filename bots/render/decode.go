package render

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
)

// decodeText resolves Markdown backslash escapes and HTML character
// references in a text segment, as a CommonMark renderer would.
func decodeText(b []byte) string {
	if !hasEscapes(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' && i+1 < len(b) && util.IsPunct(b[i+1]):
			sb.WriteByte(b[i+1])
			i++
		case c == '&':
			r, n := characterReference(b[i:])
			if n == 0 {
				sb.WriteByte('&')
				continue
			}
			sb.WriteString(r)
			i += n - 1
		case c == 0:
			sb.WriteRune(utf8.RuneError)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

func hasEscapes(b []byte) bool {
	for _, c := range b {
		if c == '\\' || c == '&' || c == 0 {
			return true
		}
	}
	return false
}

// characterReference decodes an entity (&amp;, &#38;, &#x26;) at the start
// of b, returning its text and length, or length 0.
func characterReference(b []byte) (string, int) {
	end := 1
	for end < len(b) && end < 40 && b[end] != ';' {
		end++
	}
	if end >= len(b) || b[end] != ';' || end < 2 {
		return "", 0
	}
	name := string(b[1:end])
	if name[0] == '#' {
		var v uint64
		var err error
		if len(name) > 1 && (name[1] == 'x' || name[1] == 'X') {
			v, err = strconv.ParseUint(name[2:], 16, 32)
		} else {
			v, err = strconv.ParseUint(name[1:], 10, 32)
		}
		if err != nil || len(name) > 9 {
			return "", 0
		}
		return string(util.ToValidRune(rune(v))), end + 1
	}
	if e, ok := util.LookUpHTML5EntityByName(name); ok {
		return string(e.Characters), end + 1
	}
	return "", 0
}

// escapeHTML appends s to dst with <, > and & escaped (and " when attr).
func escapeHTML(dst []byte, s string, attr bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			dst = append(dst, "&lt;"...)
		case c == '>':
			dst = append(dst, "&gt;"...)
		case c == '&':
			dst = append(dst, "&amp;"...)
		case c == '"' && attr:
			dst = append(dst, "&quot;"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// escapeMarkdown appends s to dst with Markdown syntax characters escaped
// by backslashes, so converted math reads literally in both CommonMark and
// Discord Markdown. Characters that start blocks are escaped only at the
// start of s, which is always where a display line begins.
func escapeMarkdown(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte("\\`*_[]<>|~&", c) >= 0 || (i == 0 && strings.IndexByte("#+-=", c) >= 0) {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return dst
}
