package telegram

import (
	"testing"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// FuzzClassify feeds classify messages whose entities may point anywhere:
// it must never panic, and valid UTF-8 text gives a valid UTF-8 prompt.
func FuzzClassify(f *testing.F) {
	f.Add("@qwen_test_bot hi", "mention", 0, 14, false)
	f.Add("/ask@qwen_test_bot why", "bot_command", 0, 18, false)
	f.Add("😀 @qwen_test_bot", "mention", 3, 14, true)
	f.Add("short", "mention", 3, 100, false)
	f.Add("x", "bot_command", -2, 1, true)
	f.Add("/", "bot_command", 0, 1, false)
	id := botIdentity{ID: 1000, Username: "qwen_test_bot"}
	f.Fuzz(func(t *testing.T, text, typ string, off, n int, private bool) {
		if !utf8.ValidString(text) {
			return // the Bot API sends only valid UTF-8
		}
		m := &rawMessage{}
		m.Text = text
		m.Entities = []tgbotapi.MessageEntity{{Type: typ, Offset: off, Length: n}}
		in := id.classify(m, private)
		if !utf8.ValidString(in.Prompt) || !utf8.ValidString(in.Args) {
			t.Errorf("invalid UTF-8 in %+v", in)
		}
		if private && text != "" && in.none() && !(typ == "bot_command" && off == 0) {
			t.Errorf("private message ignored: %+v", in)
		}
	})
}
