package pace

import (
	stdhtml "html"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/qwenbot/qwenbot/bots/render"
)

// thinkingChars is about how much of the reasoning's tail the live
// "Thinking…" section shows.
const thinkingChars = 600

// replyLayout lays out the states of one reply for a surface: the state's
// placeholder until the model says something, a live "Thinking…" section while
// the model reasons, and once the answer starts the answer alone, rendered
// for the platform and split into messages that fit. A note (stopped,
// interrupted, an error) ends the last message. It is immutable and safe
// for concurrent use.
type replyLayout struct {
	limits Limits
}

// styleOf maps a surface format to a render style.
func styleOf(f Format) render.Style {
	switch f {
	case FormatHTML:
		return render.TelegramHTML
	case FormatMarkdown:
		return render.DiscordMarkdown
	default:
		return render.Plain
	}
}

// measure returns the length of s, text in format f, as the surface
// counts it. Plain text is measured in UTF-16 code units as well, since
// the surface's count may read markup into it (Telegram's skips anything
// between "<" and ">").
func measure(l Limits, f Format, s string) int {
	n := utf8.RuneCountInString(s)
	if l.Count != nil {
		n = l.Count(s)
	}
	if f == FormatPlain {
		n = max(n, render.Count(render.Plain, s))
	}
	return n
}

// layout implements LayoutFunc. An answer that renders to nothing (such
// as whitespace) counts as none.
func (rl replyLayout) layout(st State, f Format) []string {
	if f == FormatRich {
		return rl.richLayout(st)
	}
	style := styleOf(f)
	var parts []string
	if strings.TrimSpace(st.Answer) != "" {
		parts = slices.DeleteFunc(rl.answer(st.Answer, style, f), func(p string) bool { return blank(f, p) })
	}
	note := st.Note
	if len(parts) == 0 {
		parts = rl.preamble(st, style, f)
		if st.Final && note == "" {
			note = st.EmptyNote
		}
	}
	return rl.withNote(parts, note, f)
}

// preamble is what a reply shows before its answer starts: the live
// thinking section, else the placeholder (nothing on a final state, which
// shows its note instead, so a reply never ends at the placeholder).
func (rl replyLayout) preamble(st State, style render.Style, f Format) []string {
	if st.Reasoning != "" {
		return []string{render.Thinking(style, st.Reasoning, thinkingChars)}
	}
	if st.Final || st.Placeholder == "" {
		return nil
	}
	return []string{escapeFor(f, st.Placeholder)}
}

// answer renders md in parts that each fit the surface. render.Split sizes
// the parts by its own count of the platform; should the surface count
// differently, the parts are split again at a smaller limit, and cut as a
// last resort.
func (rl replyLayout) answer(md string, style render.Style, f Format) []string {
	limit := rl.limits.MaxLen
	for range 4 {
		parts := render.Split(style, md, limit)
		out := make([]string, 0, len(parts))
		fits := true
		for _, p := range parts {
			r := render.Render(style, p)
			if measure(rl.limits, f, r) > rl.limits.MaxLen {
				fits = false
				break
			}
			out = append(out, r)
		}
		if fits {
			return out
		}
		limit = limit * 4 / 5
	}
	return rl.cut(render.Split(style, md, limit), f)
}

// cut renders parts as plain text cut to the limit, escaped for f.
func (rl replyLayout) cut(parts []string, f Format) []string {
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		out = append(out, escapeFor(f, Truncate(rl.limits, render.Render(render.Plain, p))))
	}
	return out
}

// withNote appends note to the last part, or as a part of its own when it
// does not fit there.
func (rl replyLayout) withNote(parts []string, note string, f Format) []string {
	if note == "" {
		return parts
	}
	alone := escapeFor(f, Truncate(rl.limits, note))
	if len(parts) == 0 {
		return []string{alone}
	}
	text := escapeFor(f, note)
	if f == FormatHTML {
		text = "<i>" + text + "</i>"
	}
	last := parts[len(parts)-1] + "\n\n" + text
	if measure(rl.limits, f, last) <= rl.limits.MaxLen {
		parts[len(parts)-1] = last
		return parts
	}
	return append(parts, alone)
}

// blank reports whether part, rendered in format f, shows no text: an
// empty code block renders to "<pre> </pre>" in HTML or to bare fences in
// Markdown, which the platform refuses as an empty message.
func blank(f Format, part string) bool {
	visible := part
	switch f {
	case FormatHTML:
		visible = stdhtml.UnescapeString(render.StripTags(part))
	case FormatMarkdown:
		var b strings.Builder
		for line := range strings.Lines(part) {
			if !strings.HasPrefix(strings.TrimSpace(line), "```") {
				b.WriteString(line)
			}
		}
		visible = b.String()
	}
	return strings.TrimSpace(visible) == ""
}

// escapeFor makes the bot's own plain text safe in format f.
func escapeFor(f Format, s string) string {
	if f == FormatHTML {
		return stdhtml.EscapeString(s)
	}
	return s
}

// truncate cuts s, plain text, to the surface's limit, ending in "…" when
// cut.
func Truncate(l Limits, s string) string {
	if l.MaxLen <= 0 || measure(l, FormatPlain, s) <= l.MaxLen {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r)
	for lo < hi { // the longest prefix that fits with the ellipsis
		mid := (lo + hi + 1) / 2
		if measure(l, FormatPlain, string(r[:mid])+"…") <= l.MaxLen {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(r[:lo]) + "…"
}

// LayoutFor returns the layout of replies on a surface with limits l: the
// placeholder until the model says something, a live "Thinking…" section
// while it reasons, then the answer rendered for the platform and split
// into messages that fit, a note ending the last one.
func LayoutFor(l Limits) LayoutFunc {
	return replyLayout{limits: l}.layout
}
