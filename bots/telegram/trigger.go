package telegram

import (
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
)

// intent is what a message asks of the bot.
type intent struct {
	// Ask is a question for the model, with Prompt its text (the bot's
	// mention or command removed).
	Ask    bool
	Prompt string
	// Cmd is a command other than /ask, with Args the text after it.
	Cmd  bots.CommandName
	Args string
}

// none reports that the message is not for the bot.
func (i intent) none() bool { return !i.Ask && i.Cmd == "" }

// commandFor maps a command name (or alias) to an engine command.
func commandFor(name string) (bots.CommandName, bool) {
	switch name {
	case "start":
		return bots.CmdStart, true
	case "help":
		return bots.CmdHelp, true
	case "reset", "new":
		return bots.CmdReset, true
	case "think":
		return bots.CmdThink, true
	case "stop":
		return bots.CmdStop, true
	case "system":
		return bots.CmdSystem, true
	}
	return "", false
}

// botIdentity is who the bot is, for recognising mentions and replies.
type botIdentity struct {
	ID       int64
	Username string
}

// classify decides what m asks of the bot. In private chats every message
// is a question; in groups only a mention of the bot (in text or caption),
// a reply to one of its messages, or a command for it. Commands addressed
// to another bot are ignored everywhere.
func (id botIdentity) classify(m *rawMessage, private bool) intent {
	text, ents := m.text()
	if name, target, ent, ok := leadingCommand(text, ents); ok {
		if target != "" && !strings.EqualFold(target, id.Username) {
			return intent{}
		}
		rest := cutSpans(text, append(id.mentions(text, ents), ent))
		if name == "ask" {
			return intent{Ask: true, Prompt: rest}
		}
		if cmd, ok := commandFor(name); ok {
			return intent{Cmd: cmd, Args: rest}
		}
	}
	if text == "" && !hasImage(m) && !hasVideo(m) {
		return intent{} // stickers, voice, files: nothing to ask about
	}
	mentions := id.mentions(text, ents)
	if private || len(mentions) > 0 || id.repliedTo(m) {
		return intent{Ask: true, Prompt: cutSpans(text, mentions)}
	}
	return intent{}
}

// leadingCommand returns the bot command that starts the text: its name
// (lowercase), the bot it names after '@' (or ""), and its entity.
func leadingCommand(text string, ents []tgbotapi.MessageEntity) (name, target string, ent tgbotapi.MessageEntity, ok bool) {
	for _, e := range ents {
		if e.Type != "bot_command" || e.Offset != 0 {
			continue
		}
		cmd := strings.TrimPrefix(spanText(text, e), "/")
		name, target, _ = strings.Cut(cmd, "@")
		return strings.ToLower(name), target, e, name != ""
	}
	return "", "", tgbotapi.MessageEntity{}, false
}

// mentions returns the entities that mention the bot: "@username" mentions
// and text mentions of the bot's user.
func (id botIdentity) mentions(text string, ents []tgbotapi.MessageEntity) []tgbotapi.MessageEntity {
	var out []tgbotapi.MessageEntity
	for _, e := range ents {
		switch {
		case e.Type == "mention" && id.Username != "" &&
			strings.EqualFold(spanText(text, e), "@"+id.Username):
			out = append(out, e)
		case e.Type == "text_mention" && e.User != nil && e.User.ID == id.ID:
			out = append(out, e)
		}
	}
	return out
}

// repliedTo reports whether m replies to one of the bot's messages.
func (id botIdentity) repliedTo(m *rawMessage) bool {
	return m.isRealReply() && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == id.ID
}
