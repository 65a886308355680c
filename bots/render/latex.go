package render

import (
	"strings"
)

// LaTeX converts the LaTeX math in s to readable Unicode text: math inside
// $…$, $$…$$, \(…\), \[…\] and \begin{align}…\end{align}, and common
// commands written without delimiters (\frac{1}{2}, \alpha, \times).
// Display math is put on its own line. A $ used for money ("$5 and $10")
// is left alone: an opening $ must be followed by a non-space, a closing $
// preceded by a non-space and not followed by a digit. s is treated as
// plain text, not Markdown.
func LaTeX(s string) string {
	t := texScanner{src: s}
	t.run()
	return string(t.out)
}

// span is a half-open byte range [start, end) of a string.
type span struct{ start, end int }

// texScanner copies src to out, converting the math it finds. Protected
// ranges (code) are copied verbatim and no math crosses them.
type texScanner struct {
	src       string
	protected []span
	// escape, when set, appends converted math escaped for the target
	// markup; it is called once per output line.
	escape func(dst []byte, s string) []byte
	out    []byte
	// math lists the source ranges that were converted.
	math []span
	// copied lists the output ranges of protected source ranges.
	copied []span
	// failed remembers, per closing delimiter, the offset up to which a
	// search found none, so repeated openers do not rescan the text.
	failed map[string]int
}

// run scans the whole source.
func (t *texScanner) run() {
	t.out = make([]byte, 0, len(t.src)+16)
	i, p := 0, 0
	for i < len(t.src) {
		for p < len(t.protected) && t.protected[p].end <= i {
			p++
		}
		limit := len(t.src)
		if p < len(t.protected) {
			if pr := t.protected[p]; pr.start <= i {
				start := len(t.out)
				t.out = append(t.out, t.src[i:pr.end]...)
				t.copied = append(t.copied, span{start, len(t.out)})
				i = pr.end
				continue
			}
			limit = t.protected[p].start
		}
		i = t.step(i, limit)
	}
}

// step handles src[i:] up to limit and returns where to continue.
func (t *texScanner) step(i, limit int) int {
	switch t.src[i] {
	case '\\':
		return t.backslash(i, limit)
	case '$':
		return t.dollar(i, limit)
	}
	j := i + 1
	for j < limit && t.src[j] != '\\' && t.src[j] != '$' {
		j++
	}
	t.out = append(t.out, t.src[i:j]...)
	return j
}

// backslash handles \( \[ \begin, bare commands and escapes.
func (t *texScanner) backslash(i, limit int) int {
	if i+1 >= limit {
		t.out = append(t.out, '\\')
		return i + 1
	}
	switch n := t.src[i+1]; {
	case n == '(' || n == '[':
		closer := `\)`
		if n == '[' {
			closer = `\]`
		}
		if end, ok := t.findCloser(i+2, limit, closer); ok {
			return t.emit(i, end+2, t.src[i+2:end], n == '[')
		}
	case isASCIILetter(n):
		return t.command(i, limit)
	}
	t.out = append(t.out, t.src[i:i+2]...)
	return i + 2
}

// command handles \name outside delimiters: a display environment, a bare
// known command, or text to copy.
func (t *texScanner) command(i, limit int) int {
	j := i + 1
	for j < limit && isASCIILetter(t.src[j]) {
		j++
	}
	name := t.src[i+1 : j]
	if name == "begin" {
		if end, ok := t.environmentEnd(j, limit); ok {
			return t.emit(i, end, t.src[i:end], true)
		}
	}
	if !t.bareAllowed(i) {
		t.out = append(t.out, t.src[i:j]...)
		return j
	}
	if end, ok := bareCommandEnd(t.src, i, j, limit); ok {
		return t.emit(i, end, t.src[i:end], false)
	}
	t.out = append(t.out, t.src[i:j]...)
	return j
}

// dollar handles $$…$$ and $…$.
func (t *texScanner) dollar(i, limit int) int {
	if i+1 < limit && t.src[i+1] == '$' {
		if end, ok := t.findCloser(i+2, limit, "$$"); ok && strings.TrimSpace(t.src[i+2:end]) != "" {
			return t.emit(i, end+2, t.src[i+2:end], true)
		}
		t.out = append(t.out, "$$"...)
		return i + 2
	}
	if end, ok := inlineDollarEnd(t.src, i, limit); ok {
		return t.emit(i, end+1, t.src[i+1:end], false)
	}
	t.out = append(t.out, '$')
	return i + 1
}

// emit converts the math src[start:end] whose content is body.
func (t *texScanner) emit(start, end int, body string, display bool) int {
	prefix := containerPrefix(lineAround(t.src, start))
	if strings.Contains(prefix, ">") {
		body = stripQuoteMarkers(body)
	}
	conv := convertMath(body, display)
	t.math = append(t.math, span{start, end})
	if !display {
		t.write(conv)
		return end
	}
	if !atLineStart(t.out) {
		t.out = append(trimRightSpaces(t.out), '\n')
		t.out = append(t.out, prefix...)
	}
	for k, line := range strings.Split(conv, "\n") {
		if k > 0 {
			t.out = append(t.out, '\n')
			t.out = append(t.out, prefix...)
		}
		t.write(line)
	}
	rest := end
	for rest < len(t.src) && (t.src[rest] == ' ' || t.src[rest] == '\t') {
		rest++
	}
	if rest < len(t.src) && t.src[rest] != '\n' && t.src[rest] != '\r' {
		t.out = append(t.out, '\n')
		t.out = append(t.out, prefix...)
	}
	return rest
}

// write appends converted math, escaped when the scanner escapes.
func (t *texScanner) write(s string) {
	if t.escape != nil {
		t.out = t.escape(t.out, s)
		return
	}
	t.out = append(t.out, s...)
}

// lineAround returns the line of s that contains i, up to i.
func lineAround(s string, i int) string {
	return s[strings.LastIndexByte(s[:i], '\n')+1 : i]
}

// stripQuoteMarkers removes blockquote markers that begin the continuation
// lines of math written inside a quote.
func stripQuoteMarkers(body string) string {
	lines := strings.Split(body, "\n")
	for k := 1; k < len(lines); k++ {
		lines[k] = strings.TrimLeft(lines[k], " \t>")
	}
	return strings.Join(lines, "\n")
}
