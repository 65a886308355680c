package telegram

import (
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestTextLen(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"plain ascii", "hello", 5},
		{"tags do not count", "<b>bold</b> <i>it</i>", 7},
		{"entities count once", "a &lt; b &amp;&amp; c", 10},
		{"astral runes count two", "😀x", 3},
		{"link", `<a href="https://example.com/x">here</a>`, 4},
		{"cyrillic", "привет", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := textLen(tt.in); got != tt.want {
				t.Errorf("textLen(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestCutSpans(t *testing.T) {
	ent := func(off, n int) tgbotapi.MessageEntity { return tgbotapi.MessageEntity{Offset: off, Length: n} }
	tests := []struct {
		name  string
		text  string
		spans []tgbotapi.MessageEntity
		want  string
	}{
		{"none", "  hi  ", nil, "hi"},
		{"leading", "@bot hi there", []tgbotapi.MessageEntity{ent(0, 4)}, "hi there"},
		{"middle", "so @bot why", []tgbotapi.MessageEntity{ent(3, 4)}, "so why"},
		{"trailing", "why @bot", []tgbotapi.MessageEntity{ent(4, 4)}, "why"},
		{"after astral rune", "😀 @bot x", []tgbotapi.MessageEntity{ent(3, 4)}, "😀 x"},
		{"keeps indentation", "@bot\n    code()", []tgbotapi.MessageEntity{ent(0, 4)}, "code()"},
		{"out of range is clipped", "hi", []tgbotapi.MessageEntity{ent(1, 10)}, "h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cutSpans(tt.text, tt.spans); got != tt.want {
				t.Errorf("cutSpans = %q, want %q", got, tt.want)
			}
		})
	}
}
