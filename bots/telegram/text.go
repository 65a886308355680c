package telegram

import (
	"strings"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots/render"
)

// textLen measures text as Telegram limits it: UTF-16 code units of the
// text after HTML entity parsing (tags removed, entities decoded).
func textLen(s string) int { return render.Count(render.TelegramHTML, s) }

// cutSpans removes the entities' spans (offsets in UTF-16 units, as the Bot
// API gives them) from text, with the space after a span that starts the
// text or follows a space, and trims the result.
func cutSpans(text string, spans []tgbotapi.MessageEntity) string {
	if len(spans) == 0 {
		return strings.TrimSpace(text)
	}
	u := utf16.Encode([]rune(text))
	drop := make([]bool, len(u))
	for _, e := range spans {
		end := min(e.Offset+e.Length, len(u))
		for i := max(e.Offset, 0); i < end; i++ {
			drop[i] = true
		}
		if end < len(u) && u[end] == ' ' && (e.Offset <= 0 || u[e.Offset-1] == ' ') {
			drop[end] = true
		}
	}
	kept := make([]uint16, 0, len(u))
	for i, c := range u {
		if !drop[i] {
			kept = append(kept, c)
		}
	}
	return strings.TrimSpace(string(utf16.Decode(kept)))
}

// spanText returns the text of an entity.
func spanText(text string, e tgbotapi.MessageEntity) string {
	u := utf16.Encode([]rune(text))
	if e.Offset < 0 || e.Length < 0 || e.Offset+e.Length > len(u) {
		return ""
	}
	return string(utf16.Decode(u[e.Offset : e.Offset+e.Length]))
}
