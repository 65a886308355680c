package bots

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
)

// Command answers a command on c.Surface in the chat's language (its /lang
// setting, else the sender's app language): start and help explain the
// bot in that kind of chat and show its settings; reset (or new) clears
// the chat's history; think shows or switches the chat's thinking setting
// (which a thinking-only model keeps on); stop stops the running turn;
// lang sets the chat's language; settings shows the chat's settings;
// system (admins only) shows, sets or clears the chat's system prompt. An
// unknown command is answered as such, with the help; it never reaches the
// model. Commands other than stop count against the user's rate
// limit. Command returns without waiting for the platform: the answer is
// sent in the background like Notify's notices. /reset stops the running
// turn and clears the history once that turn is stored, before the turns
// still queued run; its failure is logged by the engine. When the store
// fails otherwise the user is told so and the error is returned, for the
// adapter to log.
func (e *Engine) Command(ctx context.Context, c Command) error {
	if c.Chat == "" || c.Surface == nil {
		return errors.New("run command: command has no chat or surface")
	}
	limited := c.Name != CmdStop && !e.users.Allow(userKey(c.User, c.Chat, c.Sender.ID))
	s, serr := e.store.Settings(ctx, c.Chat)
	if serr != nil {
		serr = fmt.Errorf("load chat settings: %w", serr)
	} else {
		e.langs.set(c.Chat, s.Lang)
	}
	cat := catalogFor(chatLang(s.Lang, c.Lang, e.cfg.Language))
	switch {
	case limited:
		e.answer(c, cat.TooFast)
		return nil
	case c.Name == CmdReset || c.Name == "new":
		e.resetLater(c, cat)
		return nil
	}
	text, err := e.command(ctx, c, s, serr, cat)
	if err != nil {
		text = cat.CommandFailed
		err = fmt.Errorf("run command %s: %w", c.Name, err)
	}
	e.answer(c, text)
	return err
}

// answer sends text in reply to c in the background.
func (e *Engine) answer(c Command, text string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.noticeLocked(c.notice(text))
}

// notice returns text as a notice replying to c.
func (c Command) notice(text string) notice {
	return notice{chat: c.Chat, pace: c.PaceKey, surface: c.Surface, replyTo: c.ReplyTo, text: text}
}

// command runs c and returns its answer. serr is the error loading the
// chat's settings s, fatal only to the commands that need them.
func (e *Engine) command(ctx context.Context, c Command, s memory.Settings, serr error, cat catalog) (string, error) {
	switch c.Name {
	case CmdStart:
		return cat.Start + "\n\n" + e.help(ctx, c, s, cat), nil
	case CmdHelp:
		return e.help(ctx, c, s, cat), nil
	case CmdSettings:
		return e.settingsText(ctx, c, s, cat), nil
	case CmdLang:
		if serr != nil {
			return "", serr
		}
		return e.setLang(ctx, c, s)
	case CmdStop:
		if e.stopCommand(c) {
			return cat.StopDone, nil
		}
		return cat.StopNone, nil
	case CmdThink:
		if serr != nil {
			return "", serr
		}
		return e.think(ctx, c, s, cat)
	case CmdSystem:
		if !c.Sender.Admin {
			return cat.AdminOnly, nil
		}
		if serr != nil {
			return "", serr
		}
		return e.system(ctx, c, s, cat)
	}
	return cat.UnknownCommand + "\n\n" + e.help(ctx, c, s, cat), nil
}

// think shows or sets the chat's thinking setting.
func (e *Engine) think(ctx context.Context, c Command, s memory.Settings, cat catalog) (string, error) {
	info := e.model(s.Model)
	var on bool
	switch strings.ToLower(strings.TrimSpace(c.Args)) {
	case "":
		return thinkStatus(info, thinkingFor(info, nil, s.Thinking, e.cfg.Thinking), cat), nil
	case "on", "true", "yes", "1", "开", "开启", "打开":
		on = true
	case "off", "false", "no", "0", "关", "关闭":
		on = false
	default:
		return cat.ThinkUsage, nil
	}
	switch {
	case !on && info.Thinking == llm.ThinkingAlways:
		return cat.ThinkAlways, nil
	case on && info.Thinking == llm.ThinkingNone:
		return cat.ThinkNever, nil
	}
	s.Thinking = &on
	if err := e.store.SetSettings(ctx, c.Chat, s); err != nil {
		return "", fmt.Errorf("save thinking setting: %w", err)
	}
	return thinkStatus(info, on, cat), nil
}

// thinkStatus says whether the chat thinks.
func thinkStatus(info llm.ModelInfo, on bool, cat catalog) string {
	switch {
	case info.Thinking == llm.ThinkingAlways:
		return cat.ThinkOn + "\n" + cat.ThinkAlways
	case info.Thinking == llm.ThinkingNone:
		return cat.ThinkNever
	case on:
		return cat.ThinkOn
	}
	return cat.ThinkOff
}

// system shows, sets ("text") or clears ("reset") the chat's system
// prompt.
func (e *Engine) system(ctx context.Context, c Command, s memory.Settings, cat catalog) (string, error) {
	arg := strings.TrimSpace(c.Args)
	switch {
	case arg == "":
		if s.SystemPrompt == "" {
			return cat.SystemNone, nil
		}
		return fmt.Sprintf(cat.SystemShow, s.SystemPrompt), nil
	case strings.EqualFold(arg, "reset"):
		s.SystemPrompt = ""
	case utf8.RuneCountInString(arg) > e.cfg.MaxPromptChars:
		return fmt.Sprintf(cat.SystemTooLong, e.cfg.MaxPromptChars), nil
	default:
		s.SystemPrompt = arg
	}
	if err := e.store.SetSettings(ctx, c.Chat, s); err != nil {
		return "", fmt.Errorf("save system prompt: %w", err)
	}
	if s.SystemPrompt == "" {
		return cat.SystemCleared, nil
	}
	return cat.SystemSet, nil
}
