package main

import (
	"strings"

	"github.com/qwenbot/qwenbot/bots/render"
)

// placeholders are the texts the bot shows before the model has said
// anything (bots/messages.go, en and zh catalogs: Placeholder and
// ThinkingPlaceholder). They never count as model text.
var placeholders = []string{"…", "💭 Thinking…", "💭 思考中…"}

// screen is what one visible change shows of a reply.
type screen struct {
	// upto is the highest answer token shown.
	upto int
	// modelText marks real model text: answer tokens, or a thinking
	// section with reasoning tokens; never a placeholder alone.
	modelText bool
	// final marks the complete final answer: a sent or edited message
	// (not an ephemeral draft), without the Stop keyboard, showing the
	// answer's last token.
	final bool
}

// readScreen classifies a visible change of a reply whose answer has
// answer tokens.
func readScreen(ev visibleEvent, answer int) screen {
	upto, model := answerTokenCount(ev.text)
	if isPlaceholder(ev.text) {
		model = false
	}
	return screen{upto: upto, modelText: model,
		final: ev.kind != visibleDraft && !ev.markup && upto >= answer}
}

// isPlaceholder reports whether text is only a placeholder, whatever the
// markup around it.
func isPlaceholder(text string) bool {
	t := strings.TrimSpace(render.StripTags(text))
	for _, p := range placeholders {
		if t == p {
			return true
		}
	}
	return false
}
