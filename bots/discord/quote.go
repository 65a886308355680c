package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"
)

// maxQuoted bounds the characters of another message's text quoted into
// a turn.
const maxQuoted = 4000

// quote returns m's text as a Markdown quote headed by its author's name,
// for a turn about m; "" when m has no text.
func quote(m *discordgo.Message) string {
	if m == nil {
		return ""
	}
	text := strings.TrimSpace(m.ContentWithMentionsReplaced())
	if text == "" {
		return ""
	}
	if r := []rune(text); len(r) > maxQuoted {
		text = string(r[:maxQuoted]) + "…"
	}
	name := "someone"
	if m.Author != nil {
		name = sender(m.Author, m.Member, false).Name
	}
	return name + " wrote:\n> " + strings.ReplaceAll(text, "\n", "\n> ")
}

// withQuote puts a quoted message before the user's own text.
func withQuote(quoted, text string) string {
	switch {
	case quoted == "":
		return text
	case text == "":
		return quoted
	}
	return quoted + "\n\n" + text
}
