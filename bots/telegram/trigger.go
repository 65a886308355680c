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
	// Cmd is a command other than /ask, with Args the text after it; a
	// command the bot does not know keeps its name, for the engine to
	// answer as unknown.
	Cmd  bots.CommandName
	Args string
	// Unsupported is a message for the bot that it cannot read (see
	// unsupported).
	Unsupported bool
}

// none reports that the message is not for the bot.
func (i intent) none() bool { return !i.Ask && i.Cmd == "" && !i.Unsupported }

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
	case "lang", "language":
		return bots.CmdLang, true
	case "settings":
		return bots.CmdSettings, true
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
// to another bot are ignored everywhere; a command the bot does not know
// is for it in private chats and when addressed to it (/foo@bot), never a
// question. A message the bot cannot read is Unsupported when it is for
// the bot; videos, video notes and animations are read as clips.
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
		if private || target != "" {
			return intent{Cmd: bots.CommandName(name), Args: rest}
		}
		return intent{} // "/foo" in a group may be another bot's
	}
	mentions := id.mentions(text, ents)
	addressed := private || len(mentions) > 0 || id.repliedTo(m)
	switch {
	case !addressed:
		return intent{}
	case unsupported(m):
		return intent{Unsupported: true}
	case text == "" && !hasImage(m) && !hasVideo(m):
		return intent{} // service messages
	}
	return intent{Ask: true, Prompt: cutSpans(text, mentions)}
}

// unsupported reports whether m carries what the bot cannot read: a
// sticker, voice note, audio, a file that is neither an image nor a video,
// a location or venue, a poll, a contact or a dice. Clips (videos,
// animations, which also carry a document, and video or GIF documents)
// are read.
func unsupported(m *rawMessage) bool {
	doc := m.Document != nil && !hasImage(m) && !hasVideo(m)
	return doc || m.Sticker != nil || m.Voice != nil || m.Audio != nil || m.Location != nil ||
		m.Venue != nil || m.Poll != nil || m.Contact != nil || m.Dice != nil
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
