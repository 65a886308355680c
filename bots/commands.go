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

// Command answers a command on c.Surface in the chat's language: start and
// help explain the bot; reset clears the chat's history; think shows or
// switches the chat's thinking setting (which a thinking-only model keeps
// on); stop stops the running turn; system (admins only) shows, sets or
// clears the chat's system prompt. An unknown command gets the help text.
// Command blocks until the reply is sent. When the store fails the user is
// told so and the error is returned, for the adapter to log.
func (e *Engine) Command(ctx context.Context, c Command) error {
	if c.Chat == "" || c.Surface == nil {
		return errors.New("run command: command has no chat or surface")
	}
	s, serr := e.store.Settings(ctx, c.Chat)
	if serr != nil {
		serr = fmt.Errorf("load chat settings: %w", serr)
	}
	cat := catalogFor(langOf(s.Lang, e.cfg.Language))
	text, err := e.command(ctx, c, s, serr, cat)
	if err != nil {
		text = cat.CommandFailed
		err = fmt.Errorf("run command %s: %w", c.Name, err)
	}
	n := notice{chat: c.Chat, pace: c.PaceKey, surface: c.Surface, replyTo: c.ReplyTo, text: text}
	if rerr := e.reply(ctx, n); rerr != nil {
		return errors.Join(err, fmt.Errorf("answer command %s: %w", c.Name, rerr))
	}
	return err
}

// command runs c and returns its answer. serr is the error loading the
// chat's settings s, fatal only to the commands that need them.
func (e *Engine) command(ctx context.Context, c Command, s memory.Settings, serr error, cat catalog) (string, error) {
	switch c.Name {
	case CmdStart:
		return cat.Start + "\n\n" + cat.Help, nil
	case CmdReset, "new":
		if err := e.store.Reset(ctx, c.Chat); err != nil {
			return "", fmt.Errorf("reset history: %w", err)
		}
		return cat.ResetDone, nil
	case CmdStop:
		if e.Stop(c.Chat) {
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
	return cat.Help, nil
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
