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
		if end, ok := environmentEnd(t.src, j, limit); ok {
			return t.emit(i, end, t.src[i:end], true)
		}
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

// inlineDollarEnd finds the closing $ of inline math opened at i.
func inlineDollarEnd(s string, i, limit int) (int, bool) {
	if i+1 >= limit || isSpaceByte(s[i+1]) || s[i+1] == '$' {
		return 0, false
	}
	for j := i + 1; j < limit; j++ {
		switch s[j] {
		case '\\':
			j++
		case '\n':
			if blankLineAt(s, j+1, limit) {
				return 0, false
			}
		case '$':
			if isSpaceByte(s[j-1]) || (j+1 < len(s) && isDigit(s[j+1])) {
				return 0, false
			}
			return j, true
		}
	}
	return 0, false
}

// findCloser finds closer in src[from:limit], not across a blank line.
func (t *texScanner) findCloser(from, limit int, closer string) (int, bool) {
	if from < t.failed[closer] {
		return 0, false
	}
	s := t.src
	j := from
	for ; j+len(closer) <= limit; j++ {
		switch {
		case strings.HasPrefix(s[j:], closer):
			return j, true
		case s[j] == '\\' && closer[0] != '\\':
			j++
		case s[j] == '\\' && j+1 < limit && s[j+1] == '\\':
			j++
		case s[j] == '\n' && blankLineAt(s, j+1, limit):
			t.fail(closer, j)
			return 0, false
		}
	}
	t.fail(closer, j)
	return 0, false
}

// fail records that no closer exists between a search's start and end.
func (t *texScanner) fail(closer string, end int) {
	if t.failed == nil {
		t.failed = make(map[string]int, 3)
	}
	t.failed[closer] = end
}

// blankLineAt reports whether the line starting at i is blank.
func blankLineAt(s string, i, limit int) bool {
	for ; i < limit; i++ {
		switch s[i] {
		case ' ', '\t', '\r', '>':
		case '\n':
			return true
		default:
			return false
		}
	}
	return false
}

// displayEnvironments are the environments converted outside $…$.
var displayEnvironments = map[string]bool{
	"equation": true, "equation*": true, "align": true, "align*": true,
	"aligned": true, "gather": true, "gather*": true, "cases": true,
	"pmatrix": true, "bmatrix": true, "matrix": true, "vmatrix": true,
	"eqnarray": true, "eqnarray*": true, "multline": true, "split": true,
}

// environmentEnd finds the end of \begin{env}…\end{env} whose name ends
// at j, for a known display environment.
func environmentEnd(s string, j, limit int) (int, bool) {
	if j >= limit || s[j] != '{' {
		return 0, false
	}
	close := strings.IndexByte(s[j:limit], '}')
	if close < 0 {
		return 0, false
	}
	env := s[j+1 : j+close]
	if !displayEnvironments[env] {
		return 0, false
	}
	endTag := `\end{` + env + `}`
	k := strings.Index(s[j:limit], endTag)
	if k < 0 {
		return 0, false
	}
	return j + k + len(endTag), true
}

// bareStructures are commands with arguments converted outside math when
// followed by a brace.
var bareStructures = map[string]bool{
	"frac": true, "dfrac": true, "tfrac": true, "cfrac": true, "sqrt": true,
	"boxed": true, "binom": true, "mathbb": true, "mathrm": true,
	"mathbf": true, "text": true, "overline": true, "overrightarrow": true,
	"vec": true, "hat": true, "underline": true,
}

// maxBareCommand bounds the length of a command converted outside math,
// so text full of unclosed \frac{ stays linear to scan.
const maxBareCommand = 256

// bareCommandEnd reports where a known command \name (name ends at j)
// written outside math ends, with its arguments. Single-letter names (\S,
// \d in regular expressions) and unknown names are not converted, nor is a
// command whose braces do not close within the paragraph.
func bareCommandEnd(s string, i, j, limit int) (int, bool) {
	name := s[i+1 : j]
	if len(name) < 2 {
		return 0, false
	}
	if _, ok := mathSymbols[name]; ok && !bareStructures[name] {
		return j, true
	}
	if !bareStructures[name] && !delimiterSizers[name] {
		return 0, false
	}
	if k := skipBlanks(s, j, limit); bareStructures[name] &&
		(k >= limit || (s[k] != '{' && !(name == "sqrt" && s[k] == '['))) {
		return 0, false
	}
	end := min(paragraphEnd(s, j, limit), i+maxBareCommand)
	if k := skipBlanks(s, j, end); bareStructures[name] && !groupCloses(s, k, end) {
		return 0, false
	}
	c := mathConv{s: s[:end], i: i}
	c.command(nil)
	if c.unclosed {
		return 0, false
	}
	return c.i, true
}

func skipBlanks(s string, k, limit int) int {
	for k < limit && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	return k
}

// groupCloses reports whether the { or [ group opening at k closes before
// end.
func groupCloses(s string, k, end int) bool {
	if k >= end {
		return false
	}
	open := s[k]
	closer := byte('}')
	if open == '[' {
		closer = ']'
	}
	depth := 0
	for ; k < end; k++ {
		switch s[k] {
		case '\\':
			k++
		case open:
			depth++
		case closer:
			if depth--; depth == 0 {
				return true
			}
		}
	}
	return false
}

// paragraphEnd returns the index of the next blank line after i, or limit.
func paragraphEnd(s string, i, limit int) int {
	for j := i; j < limit; j++ {
		if s[j] == '\n' && blankLineAt(s, j+1, limit) {
			return j
		}
	}
	return limit
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
