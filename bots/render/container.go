package render

import "strings"

// containerPrefix returns the Markdown container prefix of a line, blanked
// for continuation lines: blockquote markers are kept, list markers become
// spaces ("> 1. x" → ">    ").
func containerPrefix(line string) string {
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t' || line[n] == '>') {
		n++
	}
	prefix := line[:n]
	if m := listMarkerLen(line[n:]); m > 0 {
		prefix += strings.Repeat(" ", m)
	}
	return prefix
}

// listMarkerLen returns the width of a list marker and the spaces after it
// at the start of s ("- ", "12. "), or 0.
func listMarkerLen(s string) int {
	i := 0
	switch {
	case s != "" && (s[0] == '-' || s[0] == '*' || s[0] == '+'):
		i = 1
	default:
		for i < len(s) && i < 9 && isDigit(s[i]) {
			i++
		}
		if i == 0 || i >= len(s) || (s[i] != '.' && s[i] != ')') {
			return 0
		}
		i++
	}
	if i >= len(s) || (s[i] != ' ' && s[i] != '\t') {
		return 0
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// atLineStart reports whether out ends at the start of a line: after a
// newline, followed by nothing but container prefix.
func atLineStart(out []byte) bool {
	start := 0
	for k := len(out) - 1; k >= 0; k-- {
		if out[k] == '\n' {
			start = k + 1
			break
		}
	}
	rest := strings.Trim(string(out[start:]), " \t>")
	return rest == "" || listMarkerLen(rest+" ") == len(rest)+1
}
