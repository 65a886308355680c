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

// menuLanguages are the language_code values the menus are set for: ""
// is every user whose language has no menu of its own.
func menuLanguages() []string { return []string{"", "zh"} }

// menus returns the command menus of private chats and of groups in lang
// (a menuLanguages value).
func menus(lang string) map[string][]menuEntry {
	d := menuTexts(lang)
	common := []menuEntry{
		{"reset", d.reset}, {"think", d.think}, {"stop", d.stop},
		{"lang", d.lang}, {"settings", d.settings}, {"help", d.help},
	}
	return map[string][]menuEntry{
		"all_private_chats": common,
		"all_group_chats":   append([]menuEntry{{"ask", d.ask}}, common...),
	}
}

// menuText holds the descriptions of the menu's commands in one language.
type menuText struct {
	ask, reset, think, stop, lang, settings, help string
}

// menuTexts returns the menu descriptions in lang ("zh", else English).
func menuTexts(lang string) menuText {
	if lang == "zh" {
		return menuText{
			ask:      "提问（回复一张图片即可问这张图）",
			reset:    "开始新的对话",
			think:    "显示模型的思考过程：on 或 off",
			stop:     "停止正在写的回答",
			lang:     "我的消息使用的语言：en、zh 或 auto",
			settings: "本聊天的设置和今天剩余的额度",
			help:     "如何使用这个机器人",
		}
	}
	return menuText{
		ask:      "Ask a question (reply to a photo to ask about it)",
		reset:    "Start a new conversation",
		think:    "Show the model's reasoning: on or off",
		stop:     "Stop the answer being written",
		lang:     "The language of my messages: en, zh or auto",
		settings: "This chat's settings and today's allowance",
		help:     "How to use this bot",
	}
}

// registerCommands sets the command menus, per scope and language.
// Failures are logged: the bot works without menus.
func (b *Bot) registerCommands(ctx context.Context) {
	for _, lang := range menuLanguages() {
		for scope, entries := range menus(lang) {
			p := tgbotapi.Params{}
			addJSON(p, "commands", entries)
			addJSON(p, "scope", commandScope{Type: scope})
			p.AddNonEmpty("language_code", lang)
			if err := b.call(ctx, "setMyCommands", p, nil); err != nil && ctx.Err() == nil {
				b.log.WarnContext(ctx, "set command menu failed", "scope", scope, "lang", lang, "err", err)
			}
		}
	}
}
