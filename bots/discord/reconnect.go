package discord

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Waits between attempts to reopen a dropped gateway connection: doubling
// from the first to the most, with jitter.
const (
	firstReconnectWait = time.Second
	maxReconnectWait   = 2 * time.Minute
)

// keepConnected reopens the gateway each time it drops (dropped is
// signalled by onDisconnect), resuming the session when Discord lets it.
// discordgo's own reconnecting is off: it retries forever even when
// Discord refuses the bot for good. keepConnected returns nil once ctx
// ends, and an ErrGatewayRefused error when Discord closes a reconnect
// with 4004 or 4014.
func (b *Bot) keepConnected(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-b.dropped:
		}
		if err := b.reopen(ctx); err != nil {
			return err
		}
	}
}

// reopen opens the gateway, retrying with backoff until it is open, ctx
// ends (nil), or Discord refuses the bot (the refusal).
func (b *Bot) reopen(ctx context.Context) error {
	wait := firstReconnectWait
	for {
		if ctx.Err() != nil {
			return nil
		}
		err := b.sess.Open()
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			return nil
		}
		if err = gatewayError(err, b.cfg.MessageContent); errors.Is(err, ErrGatewayRefused) {
			return err
		}
		b.log.WarnContext(ctx, "reconnect to the gateway", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-b.cfg.Clock.After(wait/2 + rand.N(wait/2)):
		}
		wait = min(2*wait, maxReconnectWait)
	}
}
