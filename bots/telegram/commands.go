package telegram

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// menuEntry is one entry of a command menu (the Bot API BotCommand).
type menuEntry struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// commandScope is the Bot API BotCommandScope object.
type commandScope struct {
	Type string `json:"type"`
}

// menus returns the command menu of private chats and of groups.
func menus() map[string][]menuEntry {
	return map[string][]menuEntry{
		"all_private_chats": {
			{"reset", "Start a new conversation"},
			{"think", "Show the model's reasoning: on or off"},
			{"stop", "Stop the answer being written"},
			{"help", "How to use this bot"},
		},
		"all_group_chats": {
			{"ask", "Ask a question (reply to a photo to ask about it)"},
			{"reset", "Start a new conversation in this chat"},
			{"think", "Show the model's reasoning: on or off"},
			{"stop", "Stop the answer being written"},
			{"help", "How to use this bot"},
		},
	}
}

// registerCommands sets the command menus. Failures are logged: the bot
// works without menus.
func (b *Bot) registerCommands(ctx context.Context) {
	for scope, entries := range menus() {
		p := tgbotapi.Params{}
		addJSON(p, "commands", entries)
		addJSON(p, "scope", commandScope{Type: scope})
		if err := b.call(ctx, "setMyCommands", p, nil); err != nil && ctx.Err() == nil {
			b.log.WarnContext(ctx, "set command menu failed", "scope", scope, "err", err)
		}
	}
}
