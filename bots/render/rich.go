package render

import (
	"strings"
)

// Rich converts the model's Markdown into Telegram's rich Markdown (the
// markdown field of an InputRichMessage, Bot API 10.1): LaTeX written as
// $…$, $$…$$, \(…\), \[…\] or a bare environment (aligned, cases, pmatrix,
// …) becomes rich math; pipe tables, headings, lists, quotes and code stay
// what they are; characters rich Markdown would misread in the model's
// prose (==, ||, a lone ~, a stray $, <tag) are escaped.
//
// With partial set, md is a prefix of an answer still being written, and
// the result is valid on its own: an unclosed display formula or table row
// is held back, an unfinished inline formula, code span or bold run is cut
// off at its opening, and an open code fence is closed.
func Rich(md string, partial bool) string {
	c := richConv{partial: partial}
	lines := strings.SplitAfter(md, "\n")
	for i, line := range lines {
		if line == "" {
			continue
		}
		c.line(line, partial && i == len(lines)-1 && !strings.HasSuffix(line, "\n"))
	}
	c.end()
	return strings.TrimRight(c.out.String(), " \t\n")
}

// richConv is the state of one conversion.
type richConv struct {
	partial bool
	out     strings.Builder
	// fence is the open code fence's marker ("```", "~~~~"), or "".
	fence string
	// math collects an open display formula; mathEnd is what closes it
	// ("$$", `\]` or `\end{env}`), mathIndent the indentation it began at.
	math       *strings.Builder
	mathEnd    string
	mathIndent string
}

// line converts one line; incomplete marks the partial answer's last line,
// which has no newline yet.
func (c *richConv) line(line string, incomplete bool) {
	switch {
	case c.fence != "":
		c.out.WriteString(line)
		if t := strings.TrimSpace(line); strings.HasPrefix(t, c.fence) && strings.Trim(t, c.fence[:1]) == "" {
			c.fence = ""
		}
	case c.math != nil:
		c.mathLine(line)
	default:
		c.startLine(line, incomplete)
	}
}

// startLine converts a line outside code and display math.
func (c *richConv) startLine(line string, incomplete bool) {
	body := strings.TrimLeft(line, " \t")
	indent := line[:len(line)-len(body)]
	trimmed := strings.TrimSpace(body)
	if f := fenceMarker(trimmed); f != "" {
		if incomplete {
			return // the fence's info string may go on
		}
		c.fence = f
		c.out.WriteString(line)
		return
	}
	if end, rest, ok := displayStart(trimmed); ok {
		c.math, c.mathEnd, c.mathIndent = &strings.Builder{}, end, indent
		c.mathLine(rest)
		return
	}
	if before, opener, ok := trailingOpener(trimmed); ok {
		c.startLine(indent+before+"\n", false)
		end, _, _ := displayStart(opener)
		c.math, c.mathEnd, c.mathIndent = &strings.Builder{}, end, indent
		return
	}
	table := strings.HasPrefix(trimmed, "|")
	if incomplete && table {
		return // a table row is shown once complete
	}
	c.out.WriteString(indent)
	c.out.WriteString(richInline(strings.TrimRight(body, "\n"), table, incomplete))
	if strings.HasSuffix(line, "\n") {
		c.out.WriteByte('\n')
	}
}

// mathLine adds a line to the open display formula, closing it at its end
// marker; text after the marker continues as prose.
func (c *richConv) mathLine(line string) {
	i := strings.Index(line, c.mathEnd)
	if i < 0 {
		c.math.WriteString(line)
		return
	}
	end := c.mathEnd
	keep := line[:i]
	if strings.HasPrefix(end, `\end{`) {
		keep = line[:i+len(end)]
	}
	c.math.WriteString(keep)
	c.emitMath()
	if rest := strings.TrimSpace(line[i+len(end):]); rest != "" && rest != "." && rest != "," {
		c.startLine(rest+"\n", false)
	} else if rest != "" {
		c.out.WriteString(c.mathIndent + rest + "\n")
	}
}

// emitMath writes the collected display formula as a $$ block.
func (c *richConv) emitMath() {
	src := mathSource(c.math.String())
	c.math = nil
	if src == "" {
		return
	}
	c.out.WriteString(c.mathIndent)
	if strings.Contains(src, "\n") {
		src = strings.ReplaceAll(src, "\n", "\n"+c.mathIndent)
		c.out.WriteString("$$\n" + c.mathIndent + src + "\n" + c.mathIndent + "$$\n")
		return
	}
	c.out.WriteString("$$" + src + "$$\n")
}

// end finishes the conversion: an open display formula is held back while
// partial (closing it could cut its LaTeX in half) and closed otherwise; an
// open code fence is closed.
func (c *richConv) end() {
	if c.math != nil {
		if c.partial {
			c.math = nil
		} else {
			c.emitMath()
		}
	}
	if c.fence != "" {
		s := c.out.String()
		if !strings.HasSuffix(s, "\n") {
			c.out.WriteByte('\n')
		}
		c.out.WriteString(c.fence + "\n")
		c.fence = ""
	}
}

// trailingOpener reports whether a line of prose ends by opening a display
// formula that continues on the next lines ("So $$" or "So \\["), with the
// prose before it and the opener.
func trailingOpener(trimmed string) (before, opener string, ok bool) {
	for _, o := range []string{"$$", `\[`} {
		b, found := strings.CutSuffix(trimmed, o)
		if !found || strings.TrimSpace(b) == "" {
			continue
		}
		if o == "$$" && strings.Count(b, "$$")%2 == 0 || o == `\[` && !strings.Contains(b, `\[`) {
			return strings.TrimRight(b, " "), o, true
		}
	}
	return "", "", false
}

// fenceMarker returns the code fence a line opens ("```", "~~~"), or "".
func fenceMarker(trimmed string) string {
	for _, ch := range []string{"`", "~"} {
		n := len(trimmed) - len(strings.TrimLeft(trimmed, ch))
		if n >= 3 {
			return trimmed[:n]
		}
	}
	return ""
}
