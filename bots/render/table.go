package render

import (
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// maxPreTableWidth is the widest table (in monospace columns) drawn as an
// aligned <pre> block; wider tables would wrap on a phone, so they become
// one line per row instead.
const maxPreTableWidth = 44

// table renders a GFM table: aligned columns in a <pre> block when narrow
// enough, otherwise one line per row with cells separated by " | " and the
// header row in bold.
func (w *writer) table(t *east.Table) {
	rows, header := w.tableRows(t)
	if len(rows) == 0 {
		return
	}
	widths := columnWidths(rows)
	total := 3 * (len(widths) - 1)
	for _, cw := range widths {
		total += cw
	}
	if w.html && !w.quoted && total <= maxPreTableWidth {
		w.b = append(w.b, "<pre>"...)
		w.b = escapeHTML(w.b, layoutTable(rows, widths, t.Alignments, header), false)
		w.b = append(w.b, "</pre>"...)
		return
	}
	for i, row := range rows {
		if i > 0 {
			w.newline()
		}
		if i == 0 && header {
			w.push("b", "")
		}
		w.text(strings.Join(row, " | "))
		if i == 0 && header {
			w.pop()
		}
	}
}

// tableRows returns the plain text of every cell, rows padded to the same
// length, and whether the first row is a header.
func (w *writer) tableRows(t *east.Table) ([][]string, bool) {
	var rows [][]string
	header := false
	cols := 0
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		if r.Kind() == east.KindTableHeader {
			header = len(rows) == 0
		}
		var row []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			row = append(row, w.plainInline(c))
		}
		cols = max(cols, len(row))
		rows = append(rows, row)
	}
	for i := range rows {
		for len(rows[i]) < cols {
			rows[i] = append(rows[i], "")
		}
	}
	return rows, header
}

// plainInline renders the inline content of n as one line of plain text.
func (w *writer) plainInline(n ast.Node) string {
	sub := &writer{src: w.src}
	sub.inlines(n)
	return strings.TrimSpace(strings.ReplaceAll(string(sub.b), "\n", " "))
}

func columnWidths(rows [][]string) []int {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	return widths
}

// layoutTable draws rows as aligned monospace text.
func layoutTable(rows [][]string, widths []int, aligns []east.Alignment, header bool) string {
	var b strings.Builder
	for i, row := range rows {
		if i > 0 {
			b.WriteByte('\n')
		}
		var line strings.Builder
		for j, cell := range row {
			if j > 0 {
				line.WriteString(" │ ")
			}
			align := east.AlignNone
			if j < len(aligns) {
				align = aligns[j]
			}
			line.WriteString(pad(cell, widths[j], align))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		if i == 0 && header {
			b.WriteByte('\n')
			for j, cw := range widths {
				if j > 0 {
					b.WriteString("─┼─")
				}
				b.WriteString(strings.Repeat("─", cw))
			}
		}
	}
	return b.String()
}

// pad pads cell to width columns according to align.
func pad(cell string, width int, align east.Alignment) string {
	gap := width - displayWidth(cell)
	switch align {
	case east.AlignRight:
		return strings.Repeat(" ", gap) + cell
	case east.AlignCenter:
		return strings.Repeat(" ", gap/2) + cell + strings.Repeat(" ", gap-gap/2)
	}
	return cell + strings.Repeat(" ", gap)
}

// displayWidth estimates how many monospace columns s takes: wide CJK
// characters and emoji take two, combining marks none.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		case r >= 0x1F300 && r <= 0x1FAFF:
			n += 2
		default:
			if w := util.EastAsianWidth(r); w == "W" || w == "F" {
				n += 2
			} else {
				n++
			}
		}
	}
	return n
}
