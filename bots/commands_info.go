package bots

import (
	"context"
	"fmt"
	"strings"

	"github.com/qwenbot/qwenbot/memory"
)

// help says how to use the bot in c's kind of chat on its platform, lists
// the platform's commands and shows the chat's settings.
func (e *Engine) help(ctx context.Context, c Command, s memory.Settings, cat catalog) string {
	usage, cmds := cat.HelpPrivate, cat.CommandsTelegram
	switch {
	case platformOf(c.Chat) == "dc" && c.Group:
		usage, cmds = cat.HelpDiscord, cat.CommandsDiscord
	case platformOf(c.Chat) == "dc":
		usage, cmds = cat.HelpDiscordDM, cat.CommandsDiscord
	case c.Group:
		usage = cat.HelpGroup
	}
	return usage + "\n\n" + cmds + "\n\n" + e.settingsText(ctx, c, s, cat)
}

// settingsText shows the chat's model, thinking and language, and what is
// left of today's token budgets when budgets are set.
func (e *Engine) settingsText(ctx context.Context, c Command, s memory.Settings, cat catalog) string {
	info := e.model(s.Model)
	model := info.Name
	if model == "" {
		model = s.Model
	}
	think := cat.Off
	if thinkingFor(info, nil, s.Thinking, e.cfg.Thinking) {
		think = cat.On
	}
	lines := []string{cat.SettingsTitle, fmt.Sprintf(cat.SettingsModel, model), fmt.Sprintf(cat.SettingsThinking, think), langLine(s, cat)}
	user, chat, err := e.budget.left(ctx, c.User, c.Chat)
	if err != nil {
		e.log.WarnContext(ctx, "read token usage for settings", "chat", c.Chat, "err", err)
	}
	if user >= 0 && e.budget.user > 0 {
		lines = append(lines, fmt.Sprintf(cat.BudgetUser, user, e.budget.user))
	}
	if chat >= 0 && e.budget.chat > 0 {
		lines = append(lines, fmt.Sprintf(cat.BudgetChat, chat, e.budget.chat))
	}
	return strings.Join(lines, "\n")
}

// langLine is the settings line of the chat's language, in cat's.
func langLine(s memory.Settings, cat catalog) string {
	if _, ok := catalogByTag(baseLang(s.Lang)); ok {
		return fmt.Sprintf(cat.SettingsLang, cat.Name)
	}
	return fmt.Sprintf(cat.SettingsLangAuto, cat.Name)
}

// langName maps a language's name as users may type it after /lang to
// its tag; other words are returned as they are.
func langName(arg string) string {
	switch arg {
	case "english", "英文", "英语":
		return "en"
	case "chinese", "中文", "汉语", "漢語":
		return "zh"
	}
	return arg
}

// setLang shows the chat's language, or sets it ("en", "zh") or returns it
// to each sender's app language ("auto"). The answer is in the chat's new
// language.
func (e *Engine) setLang(ctx context.Context, c Command, s memory.Settings) (string, error) {
	arg := langName(strings.ToLower(strings.TrimSpace(c.Args)))
	cur := catalogFor(chatLang(s.Lang, c.Lang, e.cfg.Language))
	switch {
	case arg == "":
		return langLine(s, cur) + "\n" + cur.LangUsage, nil
	case arg == "auto":
		s.Lang = ""
	default:
		if _, ok := catalogByTag(baseLang(arg)); !ok {
			return cur.LangUsage, nil
		}
		s.Lang = baseLang(arg)
	}
	if err := e.store.SetSettings(ctx, c.Chat, s); err != nil {
		return "", fmt.Errorf("save language setting: %w", err)
	}
	e.langs.set(c.Chat, s.Lang)
	next := catalogFor(chatLang(s.Lang, c.Lang, e.cfg.Language))
	if s.Lang == "" {
		return next.LangAuto, nil
	}
	return fmt.Sprintf(next.LangSet, next.Name), nil
}

// left returns the tokens left today of user's and chat's budgets, -1 for
// a budget that is not set (or whose usage could not be read).
func (b budgets) left(ctx context.Context, user, chat string) (userLeft, chatLeft int64, err error) {
	userLeft, chatLeft = -1, -1
	now := b.clock.Now()
	if b.user > 0 && user != "" {
		n, uerr := b.store.Usage(ctx, counterKey("user", user, now))
		if uerr == nil {
			userLeft = max(0, b.user-n)
		}
		err = uerr
	}
	if b.chat > 0 {
		n, cerr := b.store.Usage(ctx, counterKey("chat", chat, now))
		if cerr == nil {
			chatLeft = max(0, b.chat-n)
		}
		if err == nil {
			err = cerr
		}
	}
	return userLeft, chatLeft, err
}
