package render

import "strings"

// fence is a fenced code block found by scanFences. Offsets index the
// scanned text.
type fence struct {
	// open is the start of the opening fence line.
	open int
	// contentStart is the start of the first line after the opening line.
	contentStart int
	// contentEnd is the end of the last content line (the newline before
	// the closing line), or the end of the text when unclosed.
	contentEnd int
	// closeEnd is the end of the closing fence line, or -1 when unclosed.
	closeEnd int
	// prefix is the opening line's container prefix (quote markers kept,
	// list markers blanked), marker its fence run, info the rest.
	prefix, marker, info string
}

func (f fence) closed() bool { return f.closeEnd >= 0 }

// closeLine is a line that closes the fence.
func (f fence) closeLine() string { return f.prefix + f.marker }

// reopenLine is a line that opens the same fence again at the start of a
// message: quote markers kept, at most three spaces of list indentation.
func (f fence) reopenLine() string {
	p := f.prefix
	k := strings.LastIndexByte(p, '>') + 1
	if len(p)-k > 3 {
		p = p[:k+3]
	}
	return p + f.marker + f.info
}

// inside reports whether offset c lies strictly inside the fence content.
func (f fence) inside(c int) bool { return f.contentStart < c && c < f.contentEnd }

// scanFences finds the fenced code blocks of md line by line, looking
// through blockquote markers and list item markers.
func scanFences(md string) []fence {
	var fences []fence
	var cur *fence
	for start := 0; start < len(md); {
		end := strings.IndexByte(md[start:], '\n')
		if end < 0 {
			end = len(md)
		} else {
			end += start
		}
		line := strings.TrimSuffix(md[start:end], "\r")
		switch {
		case cur == nil:
			if f, ok := openingFence(line); ok {
				f.open, f.contentStart, f.closeEnd = start, min(end+1, len(md)), -1
				cur = &f
			}
		case isClosingFence(line, cur.marker):
			cur.contentEnd = max(cur.contentStart, start-1)
			cur.closeEnd = end
			fences = append(fences, *cur)
			cur = nil
		}
		start = end + 1
	}
	if cur != nil {
		cur.contentEnd = len(md)
		fences = append(fences, *cur)
	}
	return fences
}

// openingFence parses a line that opens a code fence.
func openingFence(line string) (fence, bool) {
	prefix := containerPrefix(line)
	rest := line[len(prefix):]
	run := fenceRun(rest)
	if run < 3 {
		return fence{}, false
	}
	info := rest[run:]
	if rest[0] == '`' && strings.IndexByte(info, '`') >= 0 {
		return fence{}, false
	}
	blank := strings.Map(func(r rune) rune {
		if r == '>' || r == '\t' {
			return r
		}
		return ' '
	}, prefix)
	return fence{prefix: blank, marker: rest[:run], info: info}, true
}

// isClosingFence reports whether line closes a fence opened by marker.
func isClosingFence(line, marker string) bool {
	rest := strings.TrimLeft(line, " \t>")
	run := fenceRun(rest)
	return run >= len(marker) && rest[0] == marker[0] && strings.TrimSpace(rest[run:]) == ""
}

// fenceRun returns the length of the run of ` or ~ starting s.
func fenceRun(s string) int {
	if s == "" || (s[0] != '`' && s[0] != '~') {
		return 0
	}
	n := 1
	for n < len(s) && s[n] == s[0] {
		n++
	}
	return n
}
