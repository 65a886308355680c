package discord

import (
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// AlertAdmins sends text in a DM to each configured admin (an admin who
// shares no server with the bot, or blocks DMs, cannot be reached: the
// error says so). It implements bots.Alerter; safe for concurrent use.
func (b *Bot) AlertAdmins(ctx context.Context, text string) error {
	var errs []error
	for _, id := range b.cfg.Admins {
		ch, err := b.sess.UserChannelCreate(id, discordgo.WithContext(ctx))
		if err == nil {
			_, err = b.sess.ChannelMessageSendComplex(ch.ID, &discordgo.MessageSend{
				Content: text, AllowedMentions: &discordgo.MessageAllowedMentions{},
			}, discordgo.WithContext(ctx))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("message admin %s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}
