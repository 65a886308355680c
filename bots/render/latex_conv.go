package render

import (
	"strings"
	"unicode/utf8"
)

// mathConv converts one LaTeX math expression to Unicode text. It is a
// small recursive-descent reader over s; unbalanced input never fails, it
// just ends where the input ends.
type mathConv struct {
	s       string
	i       int
	display bool
	// envs lists the open \begin environments, innermost last.
	envs []string
	// unclosed records that a group was still open at the end of s.
	unclosed bool
}

// convertMath converts the LaTeX math expression s to readable Unicode.
// In display math `\\` breaks lines; inline it separates with "; ".
func convertMath(s string, display bool) string {
	c := &mathConv{s: s, display: display}
	return tidyMath(c.seq(0))
}

// seq converts elements up to the byte stop (consumed) or the end of input.
func (c *mathConv) seq(stop byte) string {
	var out []byte
	for c.i < len(c.s) {
		if stop != 0 && c.s[c.i] == stop {
			c.i++
			return string(out)
		}
		out = c.element(out)
	}
	if stop != 0 {
		c.unclosed = true
	}
	return string(out)
}

// element converts one element (character, group, command or script).
func (c *mathConv) element(out []byte) []byte {
	ch := c.s[c.i]
	switch ch {
	case '{':
		c.i++
		return append(out, c.seq('}')...)
	case '}':
		c.i++
		return out
	case '\\':
		return c.command(out)
	case '^':
		c.i++
		return append(out, superscript(c.arg())...)
	case '_':
		c.i++
		return append(out, subscript(c.arg())...)
	case '&':
		c.i++
		return c.cellSeparator(out)
	case '~', '\n', '\t', '\r':
		c.i++
		return append(out, ' ')
	case '\'':
		return append(out, c.primes()...)
	}
	_, n := utf8.DecodeRuneInString(c.s[c.i:])
	out = append(out, c.s[c.i:c.i+n]...)
	c.i += n
	return out
}

// arg reads one argument: a braced group, a command, or one character.
func (c *mathConv) arg() string {
	c.skipSpace()
	if c.i >= len(c.s) {
		return ""
	}
	switch c.s[c.i] {
	case '{':
		c.i++
		return c.seq('}')
	case '\\':
		return string(c.command(nil))
	case '}':
		return ""
	}
	_, n := utf8.DecodeRuneInString(c.s[c.i:])
	c.i += n
	return c.s[c.i-n : c.i]
}

// rawArg reads a braced argument verbatim (environment names, colours).
func (c *mathConv) rawArg() string {
	c.skipSpace()
	if c.i >= len(c.s) || c.s[c.i] != '{' {
		return ""
	}
	end := strings.IndexByte(c.s[c.i:], '}')
	if end < 0 {
		c.unclosed = true
		c.i = len(c.s)
		return ""
	}
	v := c.s[c.i+1 : c.i+end]
	c.i += end + 1
	return strings.TrimSpace(v)
}

// optArg reads an optional [argument], converted; "" when absent.
func (c *mathConv) optArg() string {
	c.skipSpace()
	if c.i < len(c.s) && c.s[c.i] == '[' {
		c.i++
		return strings.TrimSpace(c.seq(']'))
	}
	return ""
}

// skipSpaceBeforeWord skips the spaces that end a command name when a
// letter or digit follows: \triangle ABC is △ABC, but \alpha + 1 keeps its
// spaces.
func (c *mathConv) skipSpaceBeforeWord() {
	j := c.i
	for j < len(c.s) && (c.s[j] == ' ' || c.s[j] == '\t') {
		j++
	}
	if j > c.i && j < len(c.s) && (isASCIILetter(c.s[j]) || isDigit(c.s[j])) {
		c.i = j
	}
}

func (c *mathConv) skipSpace() {
	for c.i < len(c.s) && isSpaceByte(c.s[c.i]) {
		c.i++
	}
}

// primes converts a run of apostrophes after a symbol to prime marks.
func (c *mathConv) primes() string {
	n := 0
	for c.i < len(c.s) && c.s[c.i] == '\'' {
		n++
		c.i++
	}
	switch n {
	case 1:
		return "′"
	case 2:
		return "″"
	case 3:
		return "‴"
	}
	return strings.Repeat("′", n)
}

// command converts a backslash command starting at c.i.
func (c *mathConv) command(out []byte) []byte {
	c.i++ // the backslash
	if c.i >= len(c.s) {
		return out
	}
	ch := c.s[c.i]
	if !isASCIILetter(ch) {
		if ch == '\\' {
			c.i++
			return c.lineBreak(out)
		}
		if s, ok := mathEscapes[ch]; ok {
			c.i++
			return append(out, s...)
		}
		_, n := utf8.DecodeRuneInString(c.s[c.i:])
		out = append(out, c.s[c.i:c.i+n]...)
		c.i += n
		return out
	}
	start := c.i
	for c.i < len(c.s) && isASCIILetter(c.s[c.i]) {
		c.i++
	}
	name := c.s[start:c.i]
	if c.i < len(c.s) && c.s[c.i] == '*' {
		c.i++
	}
	return c.named(out, name)
}

// named converts the command \name.
func (c *mathConv) named(out []byte, name string) []byte {
	if sym, ok := mathSymbols[name]; ok {
		if isOrdinarySymbol(sym) {
			c.skipSpaceBeforeWord()
		}
		return append(out, sym...)
	}
	switch {
	case textCommands[name]:
		return append(out, c.arg()...)
	case ignoredCommands[name]:
		return out
	case skipArgCommands[name]:
		c.rawArg()
		return out
	case delimiterSizers[name]:
		return append(out, c.delimiter()...)
	}
	if mark, ok := accents[name]; ok {
		return append(out, accent(c.arg(), mark)...)
	}
	if s, ok := c.structure(name); ok {
		return append(out, s...)
	}
	switch name {
	case "begin":
		return c.begin(out)
	case "end":
		return c.end(out)
	case "newline", "cr":
		return c.lineBreak(out)
	case "not":
		return append(out, negate(c.arg())...)
	}
	return c.unknown(out, name)
}

// structure converts commands that build text from their arguments.
func (c *mathConv) structure(name string) (string, bool) {
	switch name {
	case "frac", "dfrac", "tfrac", "cfrac":
		num := c.arg()
		return fraction(num, c.arg()), true
	case "sqrt":
		index := c.optArg()
		return root(index, c.arg()), true
	case "mathbb", "Bbb", "mathds", "mathbbm", "bbold":
		return mapRunes(c.arg(), doubleStruck), true
	case "boxed", "fbox", "framebox":
		return "[" + strings.TrimSpace(c.arg()) + "]", true
	case "binom", "dbinom", "tbinom":
		n := strings.TrimSpace(c.arg())
		return "C(" + n + ", " + strings.TrimSpace(c.arg()) + ")", true
	case "pmod":
		return " (mod " + strings.TrimSpace(c.arg()) + ")", true
	case "bmod", "mod":
		return " mod ", true
	case "textcolor", "colorbox":
		c.rawArg()
		return c.arg(), true
	case "hspace", "hskip", "mspace":
		c.rawArg()
		return " ", true
	case "tag":
		return " (" + strings.TrimSpace(c.arg()) + ")", true
	case "overset", "stackrel", "underset":
		c.arg()
		return c.arg(), true
	case "xrightarrow", "xleftarrow", "xRightarrow":
		c.optArg()
		c.arg()
		return arrows[name], true
	case "substack":
		c.envs = append(c.envs, "substack")
		v := c.arg()
		c.envs = c.envs[:len(c.envs)-1]
		return v, true
	}
	return "", false
}

// unknown drops the backslash of an unknown command and keeps its name,
// separated from the words around it (2 sin x, \log 2).
func (c *mathConv) unknown(out []byte, name string) []byte {
	if n := len(out); n > 0 && (isASCIILetter(out[n-1]) || isDigit(out[n-1])) {
		out = append(out, ' ')
	}
	out = append(out, name...)
	if c.i < len(c.s) {
		next := c.s[c.i]
		if isASCIILetter(next) || isDigit(next) || next == '{' ||
			(next == '\\' && c.i+1 < len(c.s) && isASCIILetter(c.s[c.i+1])) {
			out = append(out, ' ')
		}
	}
	return out
}

// delimiter converts the delimiter after \left, \right, \big….
func (c *mathConv) delimiter() string {
	c.skipSpace()
	if c.i >= len(c.s) {
		return ""
	}
	switch c.s[c.i] {
	case '.':
		c.i++
		return ""
	case '\\':
		return string(c.command(nil))
	}
	_, n := utf8.DecodeRuneInString(c.s[c.i:])
	c.i += n
	return c.s[c.i-n : c.i]
}

// begin opens an environment; matrices and cases get their brackets.
func (c *mathConv) begin(out []byte) []byte {
	env := strings.TrimSuffix(c.rawArg(), "*")
	switch env {
	case "array", "tabular", "alignat", "alignedat":
		c.rawArg()
	}
	c.envs = append(c.envs, env)
	if d, ok := matrixDelims[env]; ok {
		out = append(out, d[0]...)
		c.skipSpace()
	}
	return out
}

// end closes the innermost environment.
func (c *mathConv) end(out []byte) []byte {
	env := strings.TrimSuffix(c.rawArg(), "*")
	if n := len(c.envs); n > 0 {
		c.envs = c.envs[:n-1]
	}
	if d, ok := matrixDelims[env]; ok {
		out = trimRightSpaces(out)
		out = append(out, d[1]...)
	}
	return out
}

func (c *mathConv) env() string {
	if len(c.envs) == 0 {
		return ""
	}
	return c.envs[len(c.envs)-1]
}

// lineBreak converts `\\`: a new row in matrices and cases, a new line in
// display math, "; " inline.
func (c *mathConv) lineBreak(out []byte) []byte {
	if c.i < len(c.s) && c.s[c.i] == '[' { // \\[4pt]
		if end := strings.IndexByte(c.s[c.i:], ']'); end >= 0 {
			c.i += end + 1
		}
	}
	out = trimRightSpaces(out)
	env := c.env()
	if _, matrix := matrixDelims[env]; matrix || env == "substack" || !c.display {
		return append(out, "; "...)
	}
	return append(out, '\n')
}

// cellSeparator converts `&`: ", " between matrix cells, a space in cases,
// nothing in aligned equations.
func (c *mathConv) cellSeparator(out []byte) []byte {
	switch c.env() {
	case "cases", "dcases", "rcases", "array", "tabular":
		return append(out, ' ')
	}
	if _, ok := matrixDelims[c.env()]; ok {
		return append(trimRightSpaces(out), ", "...)
	}
	return out
}
