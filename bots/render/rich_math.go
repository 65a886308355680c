package render

import (
	"strings"
)

// displayEnvs are the LaTeX environments the model writes bare, outside any
// math delimiters, that become a display formula; the value is the
// environment they become inside $$…$$ ("" drops the environment and keeps
// its body), since align and equation are display environments themselves.
var displayEnvs = map[string]string{
	"aligned": "aligned", "align": "aligned", "align*": "aligned",
	"gathered": "gathered", "gather": "gathered", "gather*": "gathered",
	"equation": "", "equation*": "",
	"cases": "cases", "array": "array", "split": "split",
	"matrix": "matrix", "pmatrix": "pmatrix", "bmatrix": "bmatrix",
	"Bmatrix": "Bmatrix", "vmatrix": "vmatrix", "Vmatrix": "Vmatrix",
}

// displayStart reports whether a trimmed line opens a display formula, with
// the marker that closes it and the rest of the line after the opener.
func displayStart(trimmed string) (end, rest string, ok bool) {
	switch {
	case strings.HasPrefix(trimmed, "$$"):
		return "$$", trimmed[2:] + "\n", true
	case strings.HasPrefix(trimmed, `\[`):
		return `\]`, trimmed[2:] + "\n", true
	case strings.HasPrefix(trimmed, `\begin{`):
		name, _, found := strings.Cut(trimmed[len(`\begin{`):], "}")
		if _, known := displayEnvs[name]; found && known {
			return `\end{` + name + `}`, trimmed + "\n", true
		}
	}
	return "", "", false
}

// mathSource is the LaTeX of a display formula as rich Markdown takes it:
// trimmed, blank lines removed (they would end the $$ block), and align or
// equation environments turned into their in-formula forms.
func mathSource(src string) string {
	var lines []string
	for l := range strings.Lines(src) {
		if t := strings.TrimSpace(l); t != "" {
			lines = append(lines, t)
		}
	}
	src = strings.Join(lines, "\n")
	for from, to := range displayEnvs {
		if from == to {
			continue
		}
		if to == "" {
			src = strings.ReplaceAll(src, `\begin{`+from+`}`, "")
			src = strings.ReplaceAll(src, `\end{`+from+`}`, "")
			continue
		}
		src = strings.ReplaceAll(src, `\begin{`+from+`}`, `\begin{`+to+`}`)
		src = strings.ReplaceAll(src, `\end{`+from+`}`, `\end{`+to+`}`)
	}
	return strings.TrimSpace(src)
}

// inlineMath returns the LaTeX of an inline formula: trimmed, and in a table
// row with "|" spelled \vert, since a bar would end the cell.
func inlineMath(src string, table bool) string {
	src = strings.TrimSpace(strings.ReplaceAll(src, "\n", " "))
	if table {
		src = strings.ReplaceAll(src, `\|`, `\Vert `)
		src = strings.ReplaceAll(src, "|", `\vert `)
	}
	return strings.TrimSpace(src)
}

// closingDollar returns the index in s (the text after an opening "$") of
// the "$" that closes an inline formula, or -1. As in GitHub's Markdown, the
// formula neither starts nor ends with a space and the closing "$" is not
// followed by a digit, so "$5 and $10" stays text.
func closingDollar(s string) int {
	if s == "" || s[0] == ' ' || s[0] == '$' {
		return -1
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '$':
			if s[i-1] == ' ' || (i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9') {
				return -1
			}
			return i
		}
	}
	return -1
}
