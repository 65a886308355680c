package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// AlertAdmins sends text, as plain text, to each configured admin's
// private chat with the bot (an admin who never started the bot cannot be
// reached: Telegram refuses, and the error says so). It implements
// bots.Alerter; safe for concurrent use.
func (b *Bot) AlertAdmins(ctx context.Context, text string) error {
	var errs []error
	for _, id := range b.cfg.Admins {
		p := tgbotapi.Params{"chat_id": strconv.FormatInt(id, 10), "text": text}
		if err := b.call(ctx, "sendMessage", p, nil); err != nil {
			errs = append(errs, fmt.Errorf("message admin %d: %w", id, err))
		}
	}
	return errors.Join(errs...)
}
