package render

import "strings"

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
			if isSpaceByte(s[j-1]) || (j+1 < len(s) && isDigit(s[j+1])) || wordAfterDollar(s, j+1) {
				return 0, false
			}
			return j, true
		}
	}
	return 0, false
}

// wordAfterDollar reports whether a word follows a closing $ at i, as in
// shell variables ($HOME/$USER): such a $ does not close math. Ordinal and
// plural suffixes ($n$th, $x$s) do not count.
func wordAfterDollar(s string, i int) bool {
	k := i
	for k < len(s) && isASCIILetter(s[k]) {
		k++
	}
	switch s[i:k] {
	case "", "th", "st", "nd", "rd", "s":
		return false
	}
	return true
}

// bareAllowed reports whether a command at i, outside math, may be
// converted: it starts the text, follows a space, a digit, punctuation,
// a non-ASCII character or just-converted math (\alpha\beta). After a
// letter or in a path (C:\Users\times, ./\alpha) it stays text.
func (t *texScanner) bareAllowed(i int) bool {
	if i == 0 {
		return true
	}
	if n := len(t.math); n > 0 && t.math[n-1].end == i {
		return true
	}
	c := t.src[i-1]
	return !isASCIILetter(c) && strings.IndexByte(`\/:._~`, c) < 0
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

// environmentEnd finds the end of \begin{env}…\end{env} whose name ends
// at j, for a known display environment. A failed search is remembered
// like findCloser's, so text full of unclosed \begin{align} stays linear.
func (t *texScanner) environmentEnd(j, limit int) (int, bool) {
	s := t.src
	if j >= limit || s[j] != '{' {
		return 0, false
	}
	close := strings.IndexByte(s[j:min(limit, j+maxEnvironmentName)], '}')
	if close < 0 {
		return 0, false
	}
	env := s[j+1 : j+close]
	if !displayEnvironments[env] {
		return 0, false
	}
	endTag := `\end{` + env + `}`
	if j < t.failed[endTag] {
		return 0, false
	}
	k := strings.Index(s[j:limit], endTag)
	if k < 0 {
		t.fail(endTag, limit)
		return 0, false
	}
	return j + k + len(endTag), true
}

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
	end := paragraphEnd(s, j, min(limit, i+maxBareCommand))
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

// displayEnvironments are the environments converted outside $…$.
var displayEnvironments = map[string]bool{
	"equation": true, "equation*": true, "align": true, "align*": true,
	"aligned": true, "gather": true, "gather*": true, "cases": true,
	"pmatrix": true, "bmatrix": true, "matrix": true, "vmatrix": true,
	"eqnarray": true, "eqnarray*": true, "multline": true, "split": true,
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

// maxEnvironmentName bounds the search for the } closing \begin{name}.
const maxEnvironmentName = 16
