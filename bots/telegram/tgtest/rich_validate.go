package tgtest

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The documented Rich Message Limits (core.telegram.org/bots/api#rich-message-limits).
const (
	// RichMaxChars is "Up to 32768 UTF-8 characters in the rich message
	// text, including custom emoji alternative text and formula source".
	RichMaxChars = 32768
	// RichMaxBlocks is "Up to 500 blocks, including nested blocks, list
	// items, ordered list items, table rows, quotation blocks, and details
	// blocks".
	RichMaxBlocks = 500
	// RichMaxDepth is "Up to 16 levels of nested formatting and blocks".
	RichMaxDepth = 16
	// RichMaxColumns is "Up to 20 columns in a table".
	RichMaxColumns = 20
)

// ValidateRichMarkdown checks rich Markdown as the fake Bot API does: the
// documented limits (characters counted in the source, blocks counted as
// non-blank lines outside code and formulas, nesting as quote and list
// depth, table columns), and what the fake assumes Telegram refuses:
// unbalanced math ($…$ and $$…$$ delimiters, braces, \begin/\end), an
// unclosed code fence, and <tg-thinking> outside a draft. The real server's
// checks are not documented beyond the limits.
func ValidateRichMarkdown(md string, draft bool) error {
	if strings.TrimSpace(md) == "" {
		return errors.New("message is empty")
	}
	if n := utf8.RuneCountInString(md); n > RichMaxChars {
		return fmt.Errorf("text has %d characters, over %d", n, RichMaxChars)
	}
	if !draft && strings.Contains(md, "<tg-thinking>") {
		return errors.New("<tg-thinking> is allowed in drafts only")
	}
	v := richValidator{}
	for l := range strings.Lines(md) {
		if err := v.line(l); err != nil {
			return err
		}
	}
	switch {
	case v.fence != "":
		return errors.New("unclosed code block")
	case v.math != nil:
		return errors.New("unclosed $$ formula")
	case v.blocks > RichMaxBlocks:
		return fmt.Errorf("%d blocks, over %d", v.blocks, RichMaxBlocks)
	}
	return nil
}

// richValidator is the state of one validation.
type richValidator struct {
	fence  string
	math   *strings.Builder
	blocks int
}

// line checks one line.
func (v *richValidator) line(l string) error {
	t := strings.TrimSpace(l)
	switch {
	case v.fence != "":
		if strings.HasPrefix(t, v.fence) && strings.Trim(t, v.fence[:1]) == "" {
			v.fence = ""
		}
		return nil
	case v.math != nil:
		if rest, ok := strings.CutSuffix(t, "$$"); ok {
			v.math.WriteString(rest)
			src := v.math.String()
			v.math = nil
			return checkFormula(src)
		}
		v.math.WriteString(l)
		return nil
	case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
		v.fence = t[:len(t)-len(strings.TrimLeft(t, t[:1]))]
		v.blocks++
		return nil
	case t == "$$":
		v.math = &strings.Builder{}
		v.blocks++
		return nil
	case t == "":
		return nil
	}
	v.blocks++
	if d := depth(l); d > RichMaxDepth {
		return fmt.Errorf("nesting depth %d, over %d", d, RichMaxDepth)
	}
	if strings.HasPrefix(t, "|") {
		if n := len(splitCells(t)); n > RichMaxColumns {
			return fmt.Errorf("table row has %d columns, over %d", n, RichMaxColumns)
		}
	}
	return checkInlineMath(t)
}

// depth is the nesting of a line: its quote markers plus its list
// indentation (two spaces a level).
func depth(l string) int {
	d := 0
	s := l
	for {
		s = strings.TrimLeft(s, " ")
		if !strings.HasPrefix(s, ">") {
			break
		}
		d++
		s = s[1:]
	}
	return d + (len(l)-len(strings.TrimLeft(l, " ")))/2
}

// splitCells splits a table row at unescaped bars outside code spans.
func splitCells(row string) []string {
	row = strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|")
	var cells []string
	start, code := 0, false
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '`':
			code = !code
		case '|':
			if !code {
				cells = append(cells, row[start:i])
				start = i + 1
			}
		}
	}
	return append(cells, row[start:])
}

// checkInlineMath checks the formulas of a line outside code spans: every
// unescaped $ (or $$) opens a formula that closes on the same line.
func checkInlineMath(t string) error {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '\\':
			i++
		case '`':
			n := len(t[i:]) - len(strings.TrimLeft(t[i:], "`"))
			j := strings.Index(t[i+n:], t[i:i+n])
			if j < 0 {
				return nil // a lone backtick is text
			}
			i += n + j + n - 1
		case '$':
			delim := "$"
			if strings.HasPrefix(t[i:], "$$") {
				delim = "$$"
			}
			j := strings.Index(t[i+len(delim):], delim)
			if j < 0 {
				return fmt.Errorf("unbalanced %s in %q", delim, t)
			}
			if err := checkFormula(t[i+len(delim) : i+len(delim)+j]); err != nil {
				return err
			}
			i += len(delim) + j + len(delim) - 1
		}
	}
	return nil
}

// checkFormula checks a formula's LaTeX: braces and environments balance.
func checkFormula(src string) error {
	if strings.TrimSpace(src) == "" {
		return errors.New("empty formula")
	}
	braces := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '{':
			braces++
		case '}':
			braces--
		}
		if braces < 0 {
			return fmt.Errorf("unbalanced braces in formula %q", src)
		}
	}
	if braces != 0 {
		return fmt.Errorf("unbalanced braces in formula %q", src)
	}
	if strings.Count(src, `\begin{`) != strings.Count(src, `\end{`) {
		return fmt.Errorf("unbalanced environments in formula %q", src)
	}
	return nil
}
