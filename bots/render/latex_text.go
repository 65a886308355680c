package render

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// superscript writes s raised: x², xⁿ⁺¹, or x^(…) when some character has
// no superscript form.
func superscript(s string) string {
	t := strings.TrimSpace(s)
	switch t {
	case "":
		return ""
	case "∘", "°", "\\circ":
		return "°"
	case "′", "″", "‴", "*", "∗", "†", "‡":
		return t
	}
	if m, ok := mapScript(t, superscripts); ok {
		return m
	}
	return "^" + scriptGroup(t)
}

// subscript writes s lowered: x₁, aₙ₋₁, or x_(…).
func subscript(s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return ""
	}
	if m, ok := mapScript(t, subscripts); ok {
		return m
	}
	return "_" + scriptGroup(t)
}

// scriptGroup parenthesizes a multi-character script that has no Unicode
// form.
func scriptGroup(t string) string {
	if utf8.RuneCountInString(t) == 1 || enclosed(t) {
		return t
	}
	return "(" + t + ")"
}

// enclosed reports whether t is one parenthesized group: "(a+b)".
func enclosed(t string) bool {
	if len(t) < 2 || t[0] != '(' || t[len(t)-1] != ')' {
		return false
	}
	depth := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(t)-1 {
				return false
			}
		}
	}
	return depth == 0
}

// mapScript maps every rune of t through table, ignoring spaces.
func mapScript(t string, table map[rune]rune) (string, bool) {
	var b strings.Builder
	for _, r := range t {
		if unicode.IsSpace(r) {
			continue
		}
		m, ok := table[r]
		if !ok {
			return "", false
		}
		b.WriteRune(m)
	}
	return b.String(), true
}

// mapRunes maps the runes of s that table has, keeping the others.
func mapRunes(s string, table map[rune]rune) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if m, ok := table[r]; ok {
			r = m
		}
		b.WriteRune(r)
	}
	return b.String()
}

// atomBreakers are the characters that make a fraction part compound.
const atomBreakers = "+-−±∓×÷·∙=<>≤≥≠≈≡∼/,;:→⇒⟹"

// isAtom reports whether s reads as one token (x, 10, 2x, a², (a+b)):
// no space or operator outside brackets, except a leading minus.
func isAtom(s string) bool {
	depth := 0
	for i, r := range s {
		switch r {
		case '(', '[', '{', '⟨':
			depth++
			continue
		case ')', ']', '}', '⟩':
			depth--
			continue
		}
		if depth > 0 {
			continue
		}
		if unicode.IsSpace(r) {
			return false
		}
		if strings.ContainsRune(atomBreakers, r) && !(i == 0 && (r == '-' || r == '−')) {
			return false
		}
	}
	return true
}

// fraction writes a/b, parenthesizing compound parts: (a+b)/c, 1/(2a).
func fraction(num, den string) string {
	num, den = tightenProduct(strings.TrimSpace(num)), tightenProduct(strings.TrimSpace(den))
	if !isAtom(num) {
		num = "(" + num + ")"
	}
	// A denominator must be one symbol: 1/2a would read as (1/2)·a.
	if !isRootAtom(den) && !enclosed(den) && !isDifferential(den) {
		den = "(" + den + ")"
	}
	return num + "/" + den
}

// tightenProduct drops the spaces LaTeX ignores between a raised or
// lowered symbol and the letter it multiplies: "∂² f" is ∂²f.
func tightenProduct(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if r == ' ' && isScriptRune(prev) {
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); unicode.IsLetter(next) || unicode.IsDigit(next) {
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// isDifferential reports whether s is a differential like dx, ∂x or ∂x²,
// which reads unambiguously after a slash (dy/dx).
func isDifferential(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	if r != 'd' && r != '∂' && r != 'δ' && r != 'Δ' {
		return false
	}
	v, m := utf8.DecodeRuneInString(s[n:])
	if !unicode.IsLetter(v) {
		return false
	}
	for _, r := range s[n+m:] {
		if !isScriptRune(r) {
			return false
		}
	}
	return true
}

// root writes √x, √(x+1), ∛x, ∜x or ⁿ√x.
func root(index, body string) string {
	body = strings.TrimSpace(body)
	sign := "√"
	switch index {
	case "", "2":
	case "3":
		sign = "∛"
	case "4":
		sign = "∜"
	default:
		if m, ok := mapScript(index, superscripts); ok {
			sign = m + "√"
		} else {
			sign = "(" + index + ")√"
		}
	}
	if isRootAtom(body) {
		return sign + body
	}
	return sign + "(" + body + ")"
}

// isRootAtom reports whether body can follow √ without brackets: a number
// or a single symbol with scripts or accents (√2, √x, √x², √x̄).
func isRootAtom(body string) bool {
	if body == "" {
		return true
	}
	digits := true
	for _, r := range body {
		if !unicode.IsDigit(r) && r != '.' {
			digits = false
			break
		}
	}
	if digits {
		return true
	}
	_, n := utf8.DecodeRuneInString(body)
	for _, r := range body[n:] {
		if !isScriptRune(r) {
			return false
		}
	}
	return true
}

// isScriptRune reports whether r is a superscript, subscript, prime or
// combining mark: something that stays attached to the symbol before it.
func isScriptRune(r rune) bool {
	switch {
	case unicode.Is(unicode.Mn, r), r == '′', r == '″', r == '‴':
		return true
	case r == '¹', r == '²', r == '³', r >= 0x2070 && r <= 0x209F:
		return true
	case r >= 0x02B0 && r <= 0x02FF, r >= 0x1D2C && r <= 0x1DBF:
		return true
	case r == 'ⱼ', r == 'ⱽ':
		return true
	}
	return false
}

// accent puts a combining mark on s: x̂, v⃗; overlines cover every letter.
func accent(s string, mark rune) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if utf8.RuneCountInString(s) == 1 {
		return s + string(mark)
	}
	switch mark {
	case '\u0304', '\u0305', '\u0332':
		if mark == '\u0304' {
			mark = '\u0305'
		}
		var b strings.Builder
		for _, r := range s {
			b.WriteRune(r)
			if !unicode.IsSpace(r) {
				b.WriteRune(mark)
			}
		}
		return b.String()
	}
	return s + string(mark)
}

// negate writes the negated relation for \not.
func negate(s string) string {
	s = strings.TrimSpace(s)
	if v, ok := negations[s]; ok {
		return v
	}
	if s == "" {
		return ""
	}
	return s + "\u0338"
}

// tidyMath collapses runs of spaces and trims spaces around line breaks.
func tidyMath(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\n':
			space = false
			b.WriteByte('\n')
			continue
		case r == ' ' || r == '\t' || r == '\u00a0':
			space = true
			continue
		}
		if space && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// isOrdinarySymbol reports whether a converted symbol reads like a letter
// (Greek letters, △, ∞), which LaTeX sets without spaces: \pi r → πr.
func isOrdinarySymbol(sym string) bool {
	r, _ := utf8.DecodeRuneInString(sym)
	return unicode.IsLetter(r) || strings.ContainsRune("△∠∡∂∇∞∅", r)
}

func trimRightSpaces(out []byte) []byte {
	for len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return out
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
