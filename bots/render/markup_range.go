package render

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// markupRanges collects the source ranges of emphasis, strikethrough and
// links with their delimiters (**b**, ~~s~~, [label](url)) during a
// document walk. Ranges are computed bottom-up, when the walk leaves a
// node, from its children's, so deep nesting stays linear.
type markupRanges struct {
	md     string
	extent map[ast.Node]span
	ranges []span
}

// leave records the extent of the inline node n, whose children were
// left before it.
func (m *markupRanges) leave(n ast.Node) {
	if n.Type() != ast.TypeInline {
		return
	}
	if m.extent == nil {
		m.extent = make(map[ast.Node]span)
	}
	s, ok := m.own(n)
	if !ok {
		return
	}
	switch n := n.(type) {
	case *ast.Emphasis:
		s = widen(s, m.md, "*_", n.Level)
	case *east.Strikethrough:
		s = widen(s, m.md, "~", 2)
	case *ast.Link:
		if s.start == 0 || m.md[s.start-1] != '[' || s.end >= len(m.md) || m.md[s.end] != ']' {
			return
		}
		s = span{s.start - 1, linkEnd(m.md, s.end+1)}
	default:
		m.extent[n] = s
		return
	}
	m.extent[n] = s
	m.ranges = append(m.ranges, s)
}

// own returns the source extent of n's content: a text's segment, a code
// span with its backticks, or the union of its children's extents.
func (m *markupRanges) own(n ast.Node) (span, bool) {
	switch n := n.(type) {
	case *ast.Text:
		return span{n.Segment.Start, n.Segment.Stop}, true
	case *ast.CodeSpan:
		return codeSpanRange(n, m.md)
	}
	s, found := span{len(m.md), 0}, false
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := m.extent[c]; ok {
			s.start, s.end, found = min(s.start, t.start), max(s.end, t.end), true
		}
	}
	return s, found
}

// widen extends s over up to n delimiter characters on each side.
func widen(s span, md, delims string, n int) span {
	isDelim := func(c byte) bool {
		for k := range len(delims) {
			if delims[k] == c {
				return true
			}
		}
		return false
	}
	for k := 0; k < n && s.start > 0 && isDelim(md[s.start-1]); k++ {
		s.start--
	}
	for k := 0; k < n && s.end < len(md) && isDelim(md[s.end]); k++ {
		s.end++
	}
	return s
}

// linkEnd returns where a link that continues at i (after its label's ])
// ends: after an inline destination's matching ), after a reference
// label's ], or at i for a shortcut reference.
func linkEnd(md string, i int) int {
	if i >= len(md) || (md[i] != '(' && md[i] != '[') {
		return i
	}
	open, closer := md[i], byte(')')
	if open == '[' {
		closer = ']'
	}
	depth := 0
	for j := i; j < len(md); j++ {
		switch md[j] {
		case '\\':
			j++
		case open:
			depth++
		case closer:
			if depth--; depth == 0 {
				return j + 1
			}
		}
	}
	return i
}
