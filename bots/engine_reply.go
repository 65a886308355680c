package bots

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/qwenbot/qwenbot/bots/pace"
)

// noticeTimeout bounds sending one short notice (busy, too fast, …).
const noticeTimeout = 30 * time.Second

// replyAttempts is how often a short reply is tried through 429s and
// fallbacks.
const replyAttempts = 4

// maxNotices bounds the notices of one chat being sent or waiting; more
// are dropped, so a flood of messages cannot pile up work.
const maxNotices = 4

// notice is one short plain message of the bot's own to a chat.
type notice struct {
	chat    string
	pace    string // the gate's key; empty means chat
	surface Surface
	replyTo MessageRef
	text    string
}

// notice returns text as a notice replying to t.
func (t Turn) notice(text string) notice {
	return notice{chat: t.Chat, pace: t.PaceKey, surface: t.Surface, replyTo: t.ReplyTo, text: text}
}

// Notify sends text, plain, to a chat in the background, replying to
// replyTo, and returns at once. It goes through the gate of paceKey (empty
// means chat), as the engine's replies do, so it waits out 429 pauses and
// never runs at the same time as another request of the chat. Adapters
// use it for their own short notices. Notices of a chat are sent in order;
// the same text replying to the same message is not repeated while the
// first is pending, and beyond a few pending ones further notices are
// dropped. A notice that cannot be sent
// within 30 s, or before Shutdown interrupts the engine, is dropped and
// logged. ctx supplies only values (for logging): the notice outlives it.
func (e *Engine) Notify(ctx context.Context, chat, paceKey string, s Surface, replyTo MessageRef, text string) {
	if chat == "" || s == nil || text == "" {
		e.log.WarnContext(ctx, "notify: no chat, surface or text", "chat", chat)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.noticeLocked(notice{chat: chat, pace: paceKey, surface: s, replyTo: replyTo, text: text})
}

// noticeLocked queues n to be sent by its chat's notice goroutine, which
// the engine owns, starting it when the chat has none. e.mu must be held.
func (e *Engine) noticeLocked(n notice) {
	if e.base.Err() != nil {
		return
	}
	q, sending := e.notices[n.chat]
	// The same answer to the same message, waiting or being sent, is a
	// repeat; the same text answering another message is not.
	repeat := func(o notice) bool { return o.text == n.text && o.replyTo == n.replyTo }
	if len(q) >= maxNotices || slices.ContainsFunc(q, repeat) {
		return
	}
	e.notices[n.chat] = append(q, n)
	if !sending {
		e.spawnLocked(func() { e.sendNotices(n.chat) })
	}
}

// sendNotices sends the notices of chat in order until none is left.
func (e *Engine) sendNotices(chat string) {
	e.mu.Lock()
	for len(e.notices[chat]) > 0 {
		n := e.notices[chat][0]
		e.mu.Unlock()
		ctx, cancel := context.WithTimeout(e.base, noticeTimeout)
		if err := e.reply(ctx, n); err != nil {
			e.log.WarnContext(ctx, "send notice", "chat", chat, "err", err)
		}
		cancel()
		e.mu.Lock()
		e.notices[chat] = e.notices[chat][1:]
	}
	delete(e.notices, chat)
	e.mu.Unlock()
}

// reply sends n's text as one message replying to n.replyTo, paced by the
// gate of n's pace key like every other request of the chat. It waits out
// 429s, and replies to nothing when the message to reply to is gone.
func (e *Engine) reply(ctx context.Context, n notice) error {
	s := n.surface
	l := s.Limits()
	out := Outgoing{Text: pace.Truncate(l, n.text), Format: FormatPlain, ReplyTo: n.replyTo}
	key := paceKey(n.chat, n.pace)
	g := e.gate(key, l)
	platform := platformOf(key)
	var err error
	for range replyAttempts {
		if werr := g.Wait(ctx, pace.PriorityFirst); werr != nil {
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
