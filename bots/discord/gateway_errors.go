package discord

import (
	"errors"
	"fmt"

	"github.com/gorilla/websocket"
)

// Gateway close codes that no reconnect can fix.
const (
	closeAuthenticationFailed = 4004
	closeDisallowedIntents    = 4014
)

// ErrGatewayRefused is wrapped by Run's error when the gateway refuses the
// bot for good (a wrong token, or privileged intents not enabled), so cmd
// can exit instead of restarting into the same refusal.
var ErrGatewayRefused = errors.New("gateway refused the connection")

// gatewayError explains err from opening the gateway: a close with 4004 or
// 4014 becomes an ErrGatewayRefused that says what to fix; other errors
// are returned as they are.
func gatewayError(err error, messageContent bool) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code {
	case closeAuthenticationFailed:
		return fmt.Errorf("%w (close %d): the bot token is wrong or was reset: "+
			"set DISCORD_BOT_TOKEN to the token under Bot → Reset Token in the Developer Portal", ErrGatewayRefused, ce.Code)
	case closeDisallowedIntents:
		if messageContent {
			return fmt.Errorf("%w (close %d, disallowed intents): the Message Content intent is not enabled: "+
				"enable Message Content Intent under Bot → Privileged Gateway Intents in the Developer Portal, "+
				"or set discord.message_content = false", ErrGatewayRefused, ce.Code)
		}
		return fmt.Errorf("%w (close %d, disallowed intents): a privileged intent is not enabled for the application",
			ErrGatewayRefused, ce.Code)
	}
	return err
}
