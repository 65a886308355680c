package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/render"
)

// sendRich posts m (FormatRich) with sendRichMessage, replying to
// m.ReplyTo.
func (s *surface) sendRich(ctx context.Context, m bots.Outgoing) (bots.MessageRef, error) {
	p := s.richParams(m)
	if id, err := messageID(m.ReplyTo); err == nil && id != 0 {
		addJSON(p, "reply_parameters", replyParameters{MessageID: id, AllowSendingWithoutReply: true})
	}
	var sent struct {
		MessageID int `json:"message_id"`
	}
	if err := s.b.richCall(ctx, "sendRichMessage", p, &sent); err != nil {
		return bots.MessageRef{}, fmt.Errorf("send rich message: %w", err)
	}
	return bots.MessageRef{ID: strconv.Itoa(sent.MessageID)}, nil
}

// editRich replaces the message ref with m (FormatRich) through
// editMessageText's rich_message.
func (s *surface) editRich(ctx context.Context, ref bots.MessageRef, m bots.Outgoing) error {
	id, err := messageID(ref)
	if err != nil {
		return fmt.Errorf("edit rich message: %w", err)
	}
	p := s.richParams(m)
	p.AddNonZero("message_id", id)
	if err := s.b.richCall(ctx, "editMessageText", p, nil); err != nil {
		return fmt.Errorf("edit rich message: %w", err)
	}
	return nil
}

// draftRich shows m (FormatRich) as the draft draftID with
// sendRichMessageDraft; a leading thinking section becomes the native
// thinking block, which only drafts take.
func (s *surface) draftRich(ctx context.Context, draftID int64, m bots.Outgoing) error {
	if !s.chat.Private {
		return errors.New("send rich message draft: drafts work in private chats only")
	}
	p := s.chat.params()
	p.AddNonZero64("draft_id", draftID)
	addJSON(p, "rich_message", inputRichMessage{Markdown: render.RichDraft(m.Text)})
	if err := s.b.richCall(ctx, "sendRichMessageDraft", p, nil); err != nil {
		return fmt.Errorf("send rich message draft: %w", err)
	}
	return nil
}

// richParams are the parameters shared by sendRichMessage and a rich
// editMessageText.
func (s *surface) richParams(m bots.Outgoing) tgbotapi.Params {
	p := s.chat.params()
	addJSON(p, "rich_message", inputRichMessage{Markdown: m.Text})
	if m.StopButton {
		addJSON(p, "reply_markup", tgbotapi.NewInlineKeyboardMarkup(
			tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("⏹ Stop", stopButtonData(m.StopID)))))
	}
	return p
}
