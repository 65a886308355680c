package render

import (
	"strings"
	"unicode/utf8"
)

// Style is the markup a rendered text is written in.
type Style int

// The styles Render produces.
const (
	// Plain is text without markup, for surfaces (or fallbacks) that show
	// text as is.
	Plain Style = iota
	// TelegramHTML is Telegram's HTML parse mode, limited to b, i, s, code,
	// pre, a and blockquote.
	TelegramHTML
	// DiscordMarkdown is Discord-flavoured Markdown.
	DiscordMarkdown
)

// String returns the style's name.
func (s Style) String() string {
	switch s {
	case TelegramHTML:
		return "telegram-html"
	case DiscordMarkdown:
		return "discord-markdown"
	default:
		return "plain"
	}
}

// Render turns the model's Markdown, possibly unfinished mid-stream, into
// the style's markup. LaTeX math becomes readable Unicode in every style.
//
// TelegramHTML output is always valid for Telegram: only accepted tags,
// every tag closed and nested, raw HTML from the model escaped; an open
// code fence renders as a pre block of what has arrived. DiscordMarkdown
// keeps the Markdown, defuses @everyone and @here, and closes an open code
// fence. Plain drops the markup.
func Render(style Style, md string) string {
	md = sanitize(md)
	switch style {
	case TelegramHTML:
		return renderDocument(prepare(md).md, true)
	case DiscordMarkdown:
		return renderDiscord(md)
	default:
		return renderDocument(prepare(md).md, false)
	}
}

// Count measures rendered text as the platform counts it against its
// length limit. TelegramHTML counts UTF-16 code units of the text after
// entity parsing (tags count nothing, &lt; counts one). DiscordMarkdown
// counts Unicode code points: Discord's API is written in Python and
// measures strings by code point (discord/discord-api-docs#1315). Plain
// counts UTF-16 code units.
func Count(style Style, rendered string) int {
	switch style {
	case TelegramHTML:
		return telegramLen(rendered)
	case DiscordMarkdown:
		return utf8.RuneCountInString(rendered)
	default:
		return UTF16Len(rendered)
	}
}

// UTF16Len returns the length of s in UTF-16 code units, the unit
// Telegram counts message length in. An invalid byte counts as one unit,
// like the replacement character it would become.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// telegramLen counts the UTF-16 units of HTML text after Telegram parses
// its tags and character references.
func telegramLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if end := strings.IndexByte(s[i:], '>'); end >= 0 {
				i += end + 1
				continue
			}
		case '&':
			if r, size := characterReference([]byte(s[i:min(len(s), i+40)])); size > 0 {
				n += UTF16Len(r)
				i += size
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		n++
		if r >= 0x10000 {
			n++
		}
		i += size
	}
	return n
}

// sanitize makes md valid UTF-8 without NUL bytes and with \n line ends.
func sanitize(md string) string {
	if !utf8.ValidString(md) {
		md = strings.ToValidUTF8(md, "\uFFFD")
	}
	if strings.ContainsAny(md, "\x00\r") {
		md = strings.NewReplacer("\x00", "\uFFFD", "\r\n", "\n", "\r", "\n").Replace(md)
	}
	return md
}
