package bots

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// noticeTimeout bounds sending one short notice (busy, too fast, …).
const noticeTimeout = 30 * time.Second

// replyAttempts is how often a short reply is tried through 429s and
// fallbacks.
const replyAttempts = 4

// noticeLocked sends text to a chat in the background, as a goroutine the
// engine owns. While one notice of a chat is pending, further ones are
// dropped, so a flood of messages cannot pile up goroutines. e.mu must be
// held.
func (e *Engine) noticeLocked(chat string, s Surface, to MessageRef, text string) {
	if e.noticing[chat] {
		return
	}
	e.noticing[chat] = true
	e.spawnLocked(func() {
		ctx, cancel := context.WithTimeout(e.base, noticeTimeout)
		defer cancel()
		defer func() {
			e.mu.Lock()
			delete(e.noticing, chat)
			e.mu.Unlock()
		}()
		if err := e.reply(ctx, chat, s, to, text); err != nil {
			e.log.WarnContext(ctx, "send notice", "chat", chat, "err", err)
		}
	})
}

// reply sends the bot's own plain text as one message replying to to,
// paced by the chat's gate like every other request of the chat. It waits
// out 429s, and replies to nothing when the message to reply to is gone.
func (e *Engine) reply(ctx context.Context, chat string, s Surface, to MessageRef, text string) error {
	l := s.Limits()
	out := Outgoing{Text: truncate(l, text), Format: FormatPlain, ReplyTo: to}
	g := e.gate(chat, l)
	platform := platformOf(chat)
	var err error
	for range replyAttempts {
		if werr := g.Wait(ctx); werr != nil {
			return fmt.Errorf("send reply: %w", werr)
		}
		_, err = s.Send(ctx, out)
		g.Done()
		var ra *RetryAfterError
		switch {
		case err == nil:
			e.obs.EditSent(platform)
			return nil
		case errors.As(err, &ra):
			e.obs.RateLimited(platform)
			g.Pause(max(ra.After, time.Second))
		case errors.Is(err, ErrGone) && !out.ReplyTo.IsZero():
			out.ReplyTo = MessageRef{}
		default:
			return fmt.Errorf("send reply: %w", err)
		}
	}
	return fmt.Errorf("send reply: %w", err)
}
