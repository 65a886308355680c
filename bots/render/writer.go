package render

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// writer renders a goldmark document as Telegram HTML (html true) or as
// plain text. In HTML it emits only tags Telegram accepts, always closed
// and properly nested, and escapes all other text.
type writer struct {
	src  []byte
	html bool
	b    []byte
	// indent is written after every newline outside code (list nesting,
	// plain-text quote markers).
	indent string
	// tags are the open inline tags, outermost first. Tags open lazily on
	// the first text inside them, so empty elements leave no markup.
	tags []inlineTag
	// quoted is set inside a blockquote (Telegram cannot nest them, nor put
	// a pre block in one).
	quoted bool
	// depth is the list nesting depth.
	depth int
}

type inlineTag struct {
	name, attrs string
	open        bool
}

// renderDocument renders Markdown md (already LaTeX-converted).
func renderDocument(md string, html bool) string {
	w := &writer{src: []byte(md), html: html}
	w.b = make([]byte, 0, len(md)+len(md)/4)
	w.blocks(parseMarkdown(w.src), "\n\n")
	return strings.TrimSpace(string(w.b))
}

// blocks renders the block children of parent separated by sep, skipping
// blocks that render empty.
func (w *writer) blocks(parent ast.Node, sep string) {
	first := true
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		mark := len(w.b)
		if !first {
			w.b = append(w.b, sep...)
			w.b = append(w.b, w.indent...)
		}
		body := len(w.b)
		w.block(n)
		if len(w.b) == body {
			w.b = w.b[:mark]
			continue
		}
		first = false
	}
}

// block renders one block node.
func (w *writer) block(n ast.Node) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		w.inlines(n)
	case *ast.Heading:
		w.push("b", "")
		w.inlines(n)
		w.pop()
	case *ast.ThematicBreak:
		w.text("———")
	case *ast.FencedCodeBlock:
		w.codeBlock(n, string(n.Language(w.src)))
	case *ast.CodeBlock:
		w.codeBlock(n, "")
	case *ast.HTMLBlock:
		w.htmlBlock(n)
	case *ast.Blockquote:
		w.blockquote(n)
	case *ast.List:
		w.list(n)
	case *east.Table:
		w.table(n)
	default:
		w.blocks(n, "\n\n")
	}
}

// codeBlock renders a code block as <pre>, or as plain text where a pre
// block is not allowed or in plain mode.
func (w *writer) codeBlock(n ast.Node, lang string) {
	var sb strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		sb.Write(seg.Value(w.src))
	}
	code := strings.TrimRight(sb.String(), "\n")
	if code == "" {
		return
	}
	if !w.html || w.quoted {
		w.text(code)
		return
	}
	if lang = codeLanguage(lang); lang != "" {
		w.b = append(w.b, `<pre><code class="language-`+lang+`">`...)
		w.b = escapeHTML(w.b, code, false)
		w.b = append(w.b, "</code></pre>"...)
		return
	}
	w.b = append(w.b, "<pre>"...)
	w.b = escapeHTML(w.b, code, false)
	w.b = append(w.b, "</pre>"...)
}

// codeLanguage returns lang if it is a plausible language name, else "".
func codeLanguage(lang string) string {
	if len(lang) > 32 {
		return ""
	}
	for i := 0; i < len(lang); i++ {
		c := lang[i]
		if !isASCIILetter(c) && !isDigit(c) && strings.IndexByte("_+#.-", c) < 0 {
			return ""
		}
	}
	return lang
}

// htmlBlock renders raw HTML from the model as escaped text.
func (w *writer) htmlBlock(n *ast.HTMLBlock) {
	var sb strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		sb.Write(seg.Value(w.src))
	}
	if n.HasClosure() {
		sb.Write(n.ClosureLine.Value(w.src))
	}
	w.text(strings.TrimRight(sb.String(), "\n"))
}

// blockquote renders a quote: <blockquote> in HTML (nested quotes are
// flattened), "> " line prefixes in plain text.
func (w *writer) blockquote(n ast.Node) {
	if !w.html {
		w.b = append(w.b, "> "...)
		old := w.indent
		w.indent += "> "
		w.blocks(n, "\n\n")
		w.indent = old
		return
	}
	if w.quoted {
		w.blocks(n, "\n")
		return
	}
	mark := len(w.b)
	w.b = append(w.b, "<blockquote>"...)
	body := len(w.b)
	w.quoted = true
	w.blocks(n, "\n\n")
	w.quoted = false
	if len(w.b) == body {
		w.b = w.b[:mark]
		return
	}
	w.b = append(w.b, "</blockquote>"...)
}

// bullets are the list markers by nesting depth.
var bullets = [...]string{"•", "◦", "▪"}

// list renders list items as "• " or "1. " lines, nested lists indented.
func (w *writer) list(l *ast.List) {
	num := l.Start
	first := true
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		if !first {
			w.newline()
		}
		first = false
		marker := bullets[min(w.depth, len(bullets)-1)] + " "
		if l.IsOrdered() {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		w.text(marker)
		old := w.indent
		w.indent += strings.Repeat(" ", len([]rune(marker)))
		w.depth++
		w.blocks(item, "\n")
		w.depth--
		w.indent = old
	}
}
