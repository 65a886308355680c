package render

import (
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// prepared is Markdown whose LaTeX has been converted to Unicode outside
// code, escaped so the Markdown parser reads it literally.
type prepared struct {
	md string
	// math lists the converted source ranges of the input.
	math []span
	// code lists the output ranges copied verbatim from code.
	code []span
}

// prepare converts the LaTeX in md outside code spans and code blocks.
func prepare(md string) prepared {
	if !strings.ContainsAny(md, `$\`) {
		return prepared{md: md}
	}
	t := texScanner{src: md, protected: codeRanges(md), escape: escapeMarkdown}
	t.run()
	return prepared{md: string(t.out), math: t.math, code: t.copied}
}

// codeRanges returns the sorted source ranges of md's code: code spans
// with their backticks, and code block contents.
func codeRanges(md string) []span {
	inline, blocks := codeParts(md)
	return mergeSpans(append(inline, blocks...))
}

// codeParts returns the source ranges of md's code spans (with their
// backticks) and of its code block contents.
func codeParts(md string) (inline, blocks []span) {
	return scanParts(md, nil)
}

// scanParts is codeParts; when markup is not nil, it also collects the
// source ranges of emphasis, strikethrough and links into it.
func scanParts(md string, markup *markupRanges) (inline, blocks []span) {
	src := []byte(md)
	_ = ast.Walk(parseMarkdown(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if markup != nil {
				markup.leave(n)
			}
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindCodeSpan:
			if s, ok := codeSpanRange(n, md); ok {
				inline = append(inline, s)
			}
			return ast.WalkSkipChildren, nil
		case ast.KindCodeBlock, ast.KindFencedCodeBlock:
			if lines := n.Lines(); lines.Len() > 0 {
				blocks = append(blocks, span{lines.At(0).Start, lines.At(lines.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return inline, blocks
}

// codeSpanRange returns the source range of a code span with its backticks.
func codeSpanRange(n ast.Node, md string) (span, bool) {
	first, ok1 := n.FirstChild().(*ast.Text)
	last, ok2 := n.LastChild().(*ast.Text)
	if !ok1 || !ok2 {
		return span{}, false
	}
	s := span{first.Segment.Start, last.Segment.Stop}
	for s.start > 0 && md[s.start-1] == '`' {
		s.start--
	}
	for s.end < len(md) && md[s.end] == '`' {
		s.end++
	}
	return s, true
}

// mergeSpans sorts spans and merges overlapping ones.
func mergeSpans(spans []span) []span {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && s.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}
