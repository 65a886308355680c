package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
)

// allowedUpdates are the update types the bot asks for.
func allowedUpdates() []string { return []string{"message", "callback_query"} }

// poll receives updates by long polling until ctx is done. The bot is
// ready from the start until a poll fails, and again after one succeeds.
// It returns an error only when the Bot API refuses the token.
func (b *Bot) poll(ctx context.Context) error {
	if err := b.call(ctx, "deleteWebhook", tgbotapi.Params{"drop_pending_updates": "false"}, nil); err != nil && ctx.Err() == nil {
		b.log.WarnContext(ctx, "delete webhook failed", "err", err)
	}
	b.ready.Store(true)
	offset, failures := 0, 0
	for ctx.Err() == nil {
		if b.draining.Load() {
			b.confirm(ctx, offset)
			<-ctx.Done()
			return nil
		}
		raw, err := b.getUpdates(ctx, offset)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			b.ready.Store(false)
			if fatal(err) {
				return err
			}
			failures++
			wait := backoff(err, failures)
			b.log.WarnContext(ctx, "get updates failed", "err", err, "retry_in", wait)
			select {
			case <-b.cfg.Clock.After(wait):
			case <-ctx.Done():
			}
			continue
		}
		failures = 0
		b.ready.Store(true)
		if b.draining.Load() {
			continue // not taken: left for the next process
		}
		ups, maxID, bad := decodeUpdates(raw)
		for _, err := range bad {
			b.log.WarnContext(ctx, "skipped an update that could not be decoded", "err", err)
		}
		for _, u := range ups {
			if en, ok := b.record(ctx, u); ok {
				b.dispatch(ctx, u, en)
			}
		}
		if maxID >= offset {
			offset = maxID + 1
		}
	}
	return nil
}

// Drain stops taking updates, for a shutdown: the webhook answers 503 so
// Telegram delivers updates again later (to another replica, or to this
// process once restarted), and polling stops after confirming the updates
// already taken. Those taken before Drain are still handled; their journal
// leases, renewed no more once Run returns, are renewed a last time, so
// they outlast a drain shorter than the lease. It is safe to call at any
// time, more than once.
func (b *Bot) Drain() {
	b.draining.Store(true)
	b.journal.Renew(context.Background())
}

// confirm tells the Bot API that the updates before offset were taken (a
// getUpdates with that offset), without taking more: the one update it
// may return is left for the next process.
func (b *Bot) confirm(ctx context.Context, offset int) {
	if offset == 0 {
		return
	}
	p := tgbotapi.Params{"offset": strconv.Itoa(offset), "limit": "1", "timeout": "0"}
	addJSON(p, "allowed_updates", allowedUpdates())
	if err := b.call(ctx, "getUpdates", p, nil); err != nil && ctx.Err() == nil {
		b.log.WarnContext(ctx, "confirm the updates taken before shutting down", "err", err)
	}
}

// getUpdates long-polls for the updates from offset on.
func (b *Bot) getUpdates(ctx context.Context, offset int) ([]json.RawMessage, error) {
	p := tgbotapi.Params{"timeout": strconv.Itoa(int(b.cfg.pollTimeout() / time.Second))}
	p.AddNonZero("offset", offset)
	addJSON(p, "allowed_updates", allowedUpdates())
	var raw []json.RawMessage
	if err := b.call(ctx, "getUpdates", p, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// fatal reports errors retrying cannot fix: the token was revoked.
func fatal(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && (ae.Code == 401 || ae.Code == 404)
}

// backoff is how long to wait after the n-th failure in a row: the
// server's retry_after, or exponential from 1 s to 30 s with jitter.
func backoff(err error, n int) time.Duration {
	var ra *bots.RetryAfterError
	if errors.As(err, &ra) {
		return ra.After
	}
	d := time.Second << min(n-1, 5)
	d = min(d, 30*time.Second)
	return d/2 + rand.N(d/2+1)
}
