package render

import (
	"strings"
	"unicode/utf8"
)

// RichBlocks estimates how many blocks Telegram counts in rich Markdown md
// (its limit counts nested blocks, list items, table rows, quotations and
// details): every non-blank line outside code and display formulas, plus
// one per code block and formula. It over-counts a paragraph of several
// lines, never under-counts.
func RichBlocks(md string) int {
	n := 0
	var scan richScan
	for l := range strings.Lines(md) {
		t := strings.TrimSpace(l)
		if inside, opens := scan.line(t); !inside && (opens || t != "") {
			n++
		}
	}
	return n
}

// richScan follows whether the lines of rich Markdown, read in order, are
// inside a code block or a display formula.
type richScan struct {
	fence string // the open code block's fence, or ""
	math  bool   // a display formula is open
}

// line reads the next line, trimmed: inside reports that it belongs to a
// code block or formula opened earlier (its closing line included), opens
// that it starts one.
func (s *richScan) line(t string) (inside, opens bool) {
	switch {
	case s.fence != "":
		if strings.HasPrefix(t, s.fence) && strings.Trim(t, s.fence[:1]) == "" {
			s.fence = ""
		}
		return true, false
	case s.math:
		s.math = !strings.HasSuffix(t, "$$")
		return true, false
	case fenceMarker(t) != "":
		s.fence = fenceMarker(t)
		return false, true
	case t == "$$":
		s.math = true
		return false, true
	}
	return false, false
}

// RichSplit splits rich Markdown (as Rich makes it) into messages of at most
// maxChars characters and maxBlocks blocks each, at blank lines between
// blocks, never inside a formula, a table or a code block, unless one block
// alone is over a limit: then at a line (a code block is closed and opened
// again). A limit of zero or less is no limit.
func RichSplit(md string, maxChars, maxBlocks int) []string {
	if md == "" {
		return nil
	}
	var parts []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			parts = append(parts, strings.Join(cur, "\n\n"))
			cur = nil
		}
	}
	fits := func(s string) bool {
		return (maxChars <= 0 || utf8.RuneCountInString(s) <= maxChars) &&
			(maxBlocks <= 0 || RichBlocks(s) <= maxBlocks)
	}
	for _, chunk := range richChunks(md) {
		if fits(strings.Join(append(cur[:len(cur):len(cur)], chunk), "\n\n")) {
			cur = append(cur, chunk)
			continue
		}
		flush()
		if fits(chunk) {
			cur = append(cur, chunk)
			continue
		}
		parts = append(parts, splitLines(chunk, fits)...)
	}
	flush()
	return parts
}

// richChunks cuts md at blank lines outside code blocks and display formulas.
func richChunks(md string) []string {
	var chunks []string
	var cur strings.Builder
	var scan richScan
	for l := range strings.Lines(md) {
		t := strings.TrimSpace(l)
		if inside, _ := scan.line(t); !inside && t == "" {
			if s := strings.TrimRight(cur.String(), "\n"); s != "" {
				chunks = append(chunks, s)
			}
			cur.Reset()
			continue
		}
		cur.WriteString(l)
	}
	if s := strings.TrimRight(cur.String(), "\n"); s != "" {
		chunks = append(chunks, s)
	}
	return chunks
}

// splitLines splits one block over a limit at lines, closing a code block
// at the end of a part and opening it again in the next.
func splitLines(chunk string, fits func(string) bool) []string {
	var parts []string
	var cur strings.Builder
	fence, opener := "", ""
	for l := range strings.Lines(chunk) {
		next := cur.String() + l
		closing := ""
		if fence != "" {
			closing = "\n" + fence
		}
		if cur.Len() > 0 && !fits(strings.TrimRight(next, "\n")+closing) {
			parts = append(parts, strings.TrimRight(cur.String(), "\n")+closing)
			cur.Reset()
			if fence != "" {
				cur.WriteString(opener)
			}
		}
		cur.WriteString(l)
		t := strings.TrimSpace(l)
		switch {
		case fence != "" && strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "":
			fence = ""
		case fence == "" && fenceMarker(t) != "":
			fence, opener = fenceMarker(t), strings.TrimLeft(l, " \t")
			if !strings.HasSuffix(opener, "\n") {
				opener += "\n"
			}
		}
	}
	if s := strings.TrimRight(cur.String(), "\n"); s != "" {
		parts = append(parts, s)
	}
	return parts
}
