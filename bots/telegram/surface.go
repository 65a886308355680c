package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
)

// MaxLen is the longest message text Telegram accepts, in UTF-16 code units
// after entity parsing.
const MaxLen = 4096

// stopData is the callback data of a Stop button that names no turn;
// buttons name theirs as "stop:<id>".
const stopData = "stop"

// maxCallbackData is the most bytes Telegram accepts as callback_data.
const maxCallbackData = 64

// stopButtonData is the callback data of the Stop button of turn id: the
// bare stopData when id is empty or too long to fit.
func stopButtonData(id string) string {
	if d := stopData + ":" + id; id != "" && len(d) <= maxCallbackData {
		return d
	}
	return stopData
}

// parseStopData reports whether data is a Stop button's, and the turn id
// it names ("" for the bare stopData).
func parseStopData(data string) (id string, ok bool) {
	if data == stopData {
		return "", true
	}
	id, ok = strings.CutPrefix(data, stopData+":")
	return id, ok && id != ""
}

// surface is one chat's (or forum topic's) reply surface. It is safe for
// concurrent use.
type surface struct {
	b    *Bot
	chat chatRef
}

var (
	_ bots.Surface = (*surface)(nil)
	_ bots.Drafter = (*surface)(nil)
)

// surface returns the reply surface of a chat.
func (b *Bot) surface(c chatRef) *surface { return &surface{b: b, chat: c} }

// Send posts m as a new message, replying to m.ReplyTo.
func (s *surface) Send(ctx context.Context, m bots.Outgoing) (bots.MessageRef, error) {
	if m.Format == bots.FormatRich {
		return s.sendRich(ctx, m)
	}
	p := s.textParams(m)
	if id, err := messageID(m.ReplyTo); err == nil && id != 0 {
		addJSON(p, "reply_parameters", replyParameters{MessageID: id, AllowSendingWithoutReply: true})
	}
	var sent struct {
		MessageID int `json:"message_id"`
	}
	if err := s.b.call(ctx, "sendMessage", p, &sent); err != nil {
		return bots.MessageRef{}, fmt.Errorf("send message: %w", err)
	}
	return bots.MessageRef{ID: strconv.Itoa(sent.MessageID)}, nil
}

// Edit replaces the text of the message ref.
func (s *surface) Edit(ctx context.Context, ref bots.MessageRef, m bots.Outgoing) error {
	id, err := messageID(ref)
	if err != nil {
		return fmt.Errorf("edit message: %w", err)
	}
	if m.Format == bots.FormatRich {
		return s.editRich(ctx, ref, m)
	}
	p := s.textParams(m)
	p.AddNonZero("message_id", id)
	if err := s.b.call(ctx, "editMessageText", p, nil); err != nil {
		return fmt.Errorf("edit message: %w", err)
	}
	return nil
}

// Delete removes the message ref.
func (s *surface) Delete(ctx context.Context, ref bots.MessageRef) error {
	id, err := messageID(ref)
	if err != nil {
		return fmt.Errorf("delete message: %w", err)
	}
	p := s.chat.params()
	p.AddNonZero("message_id", id)
	if err := s.b.call(ctx, "deleteMessage", p, nil); err != nil {
		return fmt.Errorf("delete message: %w", err)
	}
	return nil
}

// Typing shows "typing…" in the chat (or topic) for about five seconds.
func (s *surface) Typing(ctx context.Context) error {
	p := s.chat.params()
	p["action"] = "typing"
	if err := s.b.call(ctx, "sendChatAction", p, nil); err != nil {
		return fmt.Errorf("send chat action: %w", err)
	}
	return nil
}

// Draft shows m as the streaming draft draftID (private chats only). The
// engine decides what a failure means (it falls back to edits for a while);
// the surface's Limits never change.
func (s *surface) Draft(ctx context.Context, draftID int64, m bots.Outgoing) error {
	if m.Format == bots.FormatRich {
		return s.draftRich(ctx, draftID, m)
	}
	if !s.chat.Private {
		return errors.New("send message draft: drafts work in private chats only")
	}
	p := s.chat.params()
	p.AddNonZero64("draft_id", draftID)
	p["text"] = m.Text
	if m.Format == bots.FormatHTML {
		p["parse_mode"] = tgbotapi.ModeHTML
	}
	if err := s.b.call(ctx, "sendMessageDraft", p, nil); err != nil {
		return fmt.Errorf("send message draft: %w", err)
	}
	return nil
}

// Telegram lets a bot send about one message a second to a private chat,
// with short bursts of about 3. The bucket keeps one of them spare: the
// platform counts requests when they arrive, and network jitter can bring
// two sent a second apart closer.
const (
	privatePerSecond = 1
	privateBurst     = 2
)

// Limits returns the chat's limits, fixed for the life of the surface: a
// private chat's bucket of about a message a second, a group's rolling
// minute (shared by its forum topics through the turn's pace key). Rich
// messages are preferred while the Bot uses them (see richOn).
func (s *surface) Limits() bots.Limits {
	l := bots.Limits{
		MaxLen:       MaxLen,
		Count:        textLen,
		Format:       bots.FormatHTML,
		EditInterval: s.b.cfg.PrivateEdit,
	}
	if s.b.richOn() {
		l.Format, l.RichMaxLen, l.RichMaxBlocks = bots.FormatRich, RichMaxLen, RichMaxBlocks
	}
	if s.chat.Private {
		l.Drafts = s.b.cfg.Drafts
		l.PerSecond, l.Burst = privatePerSecond, privateBurst
		return l
	}
	l.EditInterval = s.b.cfg.GroupEdit
	l.WindowCap = s.b.cfg.GroupPerMinute
	l.Window = time.Minute
	return l
}

// textParams are the parameters shared by sendMessage and editMessageText.
func (s *surface) textParams(m bots.Outgoing) tgbotapi.Params {
	p := s.chat.params()
	p["text"] = m.Text
	if m.Format == bots.FormatHTML {
		p["parse_mode"] = tgbotapi.ModeHTML
	}
	addJSON(p, "link_preview_options", linkPreviewOptions{IsDisabled: true})
	if m.StopButton {
		addJSON(p, "reply_markup", tgbotapi.NewInlineKeyboardMarkup(
			tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("⏹ Stop", stopButtonData(m.StopID)))))
	}
	return p
}

// messageID decodes a MessageRef made by Send or by the adapter; the zero
// ref is id 0.
func messageID(ref bots.MessageRef) (int, error) {
	if ref.IsZero() {
		return 0, nil
	}
	id, err := strconv.Atoi(ref.ID)
	if err != nil {
		return 0, fmt.Errorf("bad message reference %q: %w", ref.ID, err)
	}
	return id, nil
}

// messageRef is the MessageRef of a Telegram message id.
func messageRef(id int) bots.MessageRef { return bots.MessageRef{ID: strconv.Itoa(id)} }

// replyParameters is the Bot API ReplyParameters object.
type replyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply,omitempty"`
}

// linkPreviewOptions is the Bot API LinkPreviewOptions object.
type linkPreviewOptions struct {
	IsDisabled bool `json:"is_disabled"`
}
