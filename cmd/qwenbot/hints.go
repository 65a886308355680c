package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/qwenbot/qwenbot/bots/telegram"
)

// platformHint adds what to check to a platform's start-up error when the
// platform rejected the bot token.
func platformHint(name string, err error) error {
	switch name {
	case "telegram":
		if errors.Is(err, telegram.ErrUnauthorized) {
			return fmt.Errorf("%w: check TELEGRAM_BOT_TOKEN (from @BotFather, /newbot or /token)", err)
		}
	case "discord":
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized ||
			strings.Contains(err.Error(), "4004") { // the gateway's "Authentication failed"
			return fmt.Errorf("%w: check DISCORD_BOT_TOKEN (Developer Portal → your application → Bot → Reset Token)", err)
		}
	}
	return err
}
