package render

import (
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// maxCodeTableWidth is the widest table drawn as a code block on Discord.
const maxCodeTableWidth = 60

// edit replaces md[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// discordBlocks rewrites the Markdown blocks Discord does not show: level
// 4–6 headings become bold lines, tables become aligned code blocks (or,
// when wide, one line per row).
func discordBlocks(md string) string {
	if !strings.Contains(md, "####") && !strings.Contains(md, "|") {
		return md
	}
	src := []byte(md)
	var edits []edit
	_ = ast.Walk(parseMarkdown(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if e, ok := headingEdit(md, n); ok {
				edits = append(edits, e)
			}
			return ast.WalkSkipChildren, nil
		case *east.Table:
			if e, ok := tableEdit(md, src, n); ok {
				edits = append(edits, e)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return applyEdits(md, edits)
}

// headingEdit turns "#### Title" into "**Title**".
func headingEdit(md string, h *ast.Heading) (edit, bool) {
	if h.Level < 4 || h.Lines().Len() == 0 {
		return edit{}, false
	}
	seg := h.Lines().At(0)
	start, end := lineStart(md, seg.Start), lineEnd(md, seg.Start)
	prefix := md[start:seg.Start]
	k := strings.IndexByte(prefix, '#')
	title := strings.TrimSpace(md[seg.Start:seg.Stop])
	if k < 0 || title == "" {
		return edit{}, false
	}
	if !strings.HasPrefix(title, "**") || !strings.HasSuffix(title, "**") {
		title = "**" + title + "**"
	}
	return edit{start, end, prefix[:k] + title}, true
}

// tableEdit draws a table as a code block of aligned columns, or as one
// line per row with a bold header when too wide for a phone.
func tableEdit(md string, src []byte, t *east.Table) (edit, bool) {
	first, last := t.FirstChild(), t.LastChild()
	if first == nil || first.Pos() < 0 || last.Pos() < 0 {
		return edit{}, false
	}
	start, end := lineStart(md, first.Pos()), lineEnd(md, last.Pos())
	lead := md[start:first.Pos()]
	cont := containerPrefix(lead)
	w := &writer{src: src}
	rows, header := w.tableRows(t)
	if len(rows) == 0 {
		return edit{}, false
	}
	widths := columnWidths(rows)
	total := 3 * (len(widths) - 1)
	for _, cw := range widths {
		total += cw
	}
	var lines []string
	if total <= maxCodeTableWidth {
		lines = append(lines, "```")
		lines = append(lines, strings.Split(layoutTable(rows, widths, t.Alignments, header), "\n")...)
		lines = append(lines, "```")
	} else {
		for i, row := range rows {
			cells := make([]string, len(row))
			for j, c := range row {
				cells[j] = escapeDiscordLine(c)
			}
			line := strings.Join(cells, " | ")
			if i == 0 && header {
				line = "**" + line + "**"
			}
			lines = append(lines, line)
		}
	}
	return edit{start, end, lead + strings.Join(lines, "\n"+cont)}, true
}

// applyEdits applies non-overlapping edits to md.
func applyEdits(md string, edits []edit) string {
	if len(edits) == 0 {
		return md
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b strings.Builder
	last := 0
	for _, e := range edits {
		if e.start < last {
			continue
		}
		b.WriteString(md[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.WriteString(md[last:])
	return b.String()
}

// lineStart returns the start of the line containing i.
func lineStart(md string, i int) int {
	return strings.LastIndexByte(md[:i], '\n') + 1
}
