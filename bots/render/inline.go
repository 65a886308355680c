package render

import (
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// inlines renders the inline children of parent.
func (w *writer) inlines(parent ast.Node) {
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		w.inline(n)
	}
}

// inline renders one inline node.
func (w *writer) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(w.src)
		if n.IsRaw() {
			w.text(string(v))
		} else {
			w.text(decodeText(v))
		}
		if n.SoftLineBreak() || n.HardLineBreak() {
			w.newline()
		}
	case *ast.String:
		if n.IsRaw() || n.IsCode() {
			w.text(string(n.Value))
		} else {
			w.text(decodeText(n.Value))
		}
	case *ast.CodeSpan:
		w.codeSpan(n)
	case *ast.Emphasis:
		tag := "i"
		if n.Level >= 2 {
			tag = "b"
		}
		w.wrap(tag, n)
	case *east.Strikethrough:
		w.wrap("s", n)
	case *ast.Link, *ast.Image, *ast.AutoLink:
		w.linkNode(n)
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			w.text(string(seg.Value(w.src)))
		}
	case *east.TaskCheckBox:
		if n.IsChecked {
			w.text("☑ ")
		} else {
			w.text("☐ ")
		}
	default:
		w.inlines(n)
	}
}

// wrap renders the children of n inside an inline tag.
func (w *writer) wrap(tag string, n ast.Node) {
	w.push(tag, "")
	w.inlines(n)
	w.pop()
}

// linkNode renders a link, an image (as a link to it) or an autolink.
func (w *writer) linkNode(n ast.Node) {
	switch n := n.(type) {
	case *ast.Link:
		w.link(string(n.Destination), func() { w.inlines(n) })
	case *ast.Image:
		w.link(string(n.Destination), func() {
			mark := len(w.b)
			w.inlines(n)
			if len(w.b) == mark {
				w.text("image")
			}
		})
	case *ast.AutoLink:
		url := string(n.URL(w.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
			url = "mailto:" + url
		}
		label := string(n.Label(w.src))
		w.link(url, func() { w.text(label) })
	}
}

// codeSpan renders `code`. Telegram does not allow code inside a link, so
// there it stays plain link text; inside bold or italic the formatting is
// closed around the code and reopened after it.
func (w *writer) codeSpan(n *ast.CodeSpan) {
	var sb strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			sb.Write(c.Segment.Value(w.src))
		case *ast.String:
			sb.Write(c.Value)
		}
	}
	code := strings.ReplaceAll(sb.String(), "\n", " ")
	if code == "" {
		return
	}
	if !w.html || w.inLink() {
		w.text(code)
		return
	}
	w.suspend()
	w.b = append(w.b, "<code>"...)
	w.b = escapeHTML(w.b, code, false)
	w.b = append(w.b, "</code>"...)
}

// link renders a link whose label is written by label. Only http, https,
// tg and mailto URLs become links; others keep just their label. In plain
// text the URL follows the label in brackets.
func (w *writer) link(dest string, label func()) {
	url := linkURL(dest)
	if url == "" {
		label()
		return
	}
	if !w.html {
		mark := len(w.b)
		label()
		if got := string(w.b[mark:]); got != url && got != dest {
			w.text(" (" + url + ")")
		}
		return
	}
	if w.inLink() {
		label()
		return
	}
	w.push("a", `href="`+string(escapeHTML(nil, url, true))+`"`)
	mark := len(w.b)
	label()
	if len(w.b) == mark {
		w.text(url)
	}
	w.pop()
}

// linkURL decodes a Markdown link destination and returns it if it is a
// well-formed URL with a scheme Telegram accepts (http and https with a
// host, tg, mailto), else "".
func linkURL(dest string) string {
	raw := strings.ReplaceAll(strings.TrimSpace(decodeText([]byte(dest))), " ", "%20")
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
	case "tg":
		if u.Host == "" && u.Opaque == "" {
			return ""
		}
	case "mailto":
		if !strings.Contains(u.Opaque, "@") {
			return ""
		}
	default:
		return ""
	}
	return raw
}

// text writes s, escaped, opening pending inline tags first; newlines get
// the current indent.
func (w *writer) text(s string) {
	if s == "" {
		return
	}
	w.flush()
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			break
		}
		w.raw(s[:i])
		w.newline()
		s = s[i+1:]
	}
	w.raw(s)
}

func (w *writer) raw(s string) {
	if w.html {
		w.b = escapeHTML(w.b, s, false)
		return
	}
	w.b = append(w.b, s...)
}

func (w *writer) newline() {
	w.b = append(w.b, '\n')
	w.b = append(w.b, w.indent...)
}

// push opens an inline tag (lazily; see writer.tags).
func (w *writer) push(name, attrs string) {
	if w.html {
		w.tags = append(w.tags, inlineTag{name: name, attrs: attrs})
	}
}

// pop closes the innermost inline tag.
func (w *writer) pop() {
	if !w.html || len(w.tags) == 0 {
		return
	}
	t := w.tags[len(w.tags)-1]
	w.tags = w.tags[:len(w.tags)-1]
	if t.open {
		w.b = append(w.b, "</"+t.name+">"...)
	}
}

// flush opens the pending inline tags, outermost first.
func (w *writer) flush() {
	for i := range w.tags {
		t := &w.tags[i]
		if t.open {
			continue
		}
		w.b = append(w.b, '<')
		w.b = append(w.b, t.name...)
		if t.attrs != "" {
			w.b = append(w.b, ' ')
			w.b = append(w.b, t.attrs...)
		}
		w.b = append(w.b, '>')
		t.open = true
	}
}

// suspend closes the open inline tags, innermost first; the next text
// reopens them.
func (w *writer) suspend() {
	for i := len(w.tags) - 1; i >= 0; i-- {
		if t := &w.tags[i]; t.open {
			w.b = append(w.b, "</"+t.name+">"...)
			t.open = false
		}
	}
}

func (w *writer) inLink() bool {
	for _, t := range w.tags {
		if t.name == "a" {
			return true
		}
	}
	return false
}
