package main

import (
	"context"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/qwenbot/qwenbot/bots"
)

// policy is how replies are paced: ours, or a rule popular peer bots use.
// Peer rules are applied without touching package bots: the Telegram
// adapter's surfaces are wrapped (Limits overridden, edits held back)
// before the engine sees them.
type policy string

// The pacing policies --policy selects.
const (
	// policyOurs is the engine's pacer as cmd/qwenbot configures it: drafts
	// in private chats, 1 s per private chat, 3 s and 18 per minute per
	// group, 25 requests/s per bot.
	policyOurs policy = "ours"
	// policyEveryN edits whenever enough new characters arrived, with no
	// time floor and no per-bot budget, as n3d1117/chatgpt-telegram-bot's
	// get_stream_cutoff_values does (15–90 characters in private chats,
	// 50–180 in groups, growing with the text).
	policyEveryN policy = "every-n-chars"
	// policyFixed edits every chat at most once a second, groups alike,
	// with no per-minute window and no per-bot budget.
	policyFixed policy = "fixed-1s"
)

// ourGlobalPerSecond is cmd/qwenbot's default telegram.global_requests_per_second.
const ourGlobalPerSecond = 25

// parsePolicy parses a --policy value.
func parsePolicy(s string) (policy, error) {
	switch p := policy(s); p {
	case policyOurs, policyEveryN, policyFixed:
		return p, nil
	}
	return "", fmt.Errorf("unknown policy %q (want ours, every-n-chars or fixed-1s)", s)
}

// String returns the policy's flag value.
func (p policy) String() string { return string(p) }

// globalPerSecond is the engine's per-bot request budget under p.
func (p policy) globalPerSecond() int {
	if p == policyOurs {
		return ourGlobalPerSecond
	}
	return 0
}

// drafts reports whether private replies stream as drafts under p.
func (p policy) drafts() bool { return p == policyOurs }

// wrap returns the surface the engine paces under p.
func (p policy) wrap(s bots.Surface) bots.Surface {
	l := s.Limits()
	group := l.WindowCap > 0 // the Telegram adapter caps groups only
	l.Drafts = false
	// The peers know no chat limits: no window, no bucket.
	l.WindowCap, l.Window = 0, 0
	l.PerSecond, l.Burst = 0, 0
	switch p {
	case policyEveryN:
		l.EditInterval = 0
		return &everyNSurface{Surface: s, limits: l, group: group, shown: make(map[string]int)}
	case policyFixed:
		l.EditInterval = time.Second
		return limitsSurface{Surface: s, limits: l}
	}
	return s
}

// limitsSurface is a surface with other limits. It hides the wrapped
// surface's Drafter, if any.
type limitsSurface struct {
	bots.Surface
	limits bots.Limits
}

// Limits returns the overridden limits.
func (s limitsSurface) Limits() bots.Limits { return s.limits }

// everyNSurface sends an intermediate edit only when the text grew by the
// peer bots' cutoff since the text last sent; the final state (no stop
// button) always goes out. A held-back edit reports success, so the pacer
// moves on as a peer bot's loop would. Safe for concurrent use.
type everyNSurface struct {
	bots.Surface
	limits bots.Limits
	group  bool

	mu    sync.Mutex
	shown map[string]int // message id → characters last sent
}

// Limits returns the overridden limits: no interval, no window, no drafts.
func (s *everyNSurface) Limits() bots.Limits { return s.limits }

// Send posts a message and remembers its length.
func (s *everyNSurface) Send(ctx context.Context, m bots.Outgoing) (bots.MessageRef, error) {
	ref, err := s.Surface.Send(ctx, m)
	if err == nil {
		s.remember(ref, m.Text)
	}
	return ref, err
}

// Edit edits the message once enough new characters arrived, and always
// for a final state.
func (s *everyNSurface) Edit(ctx context.Context, ref bots.MessageRef, m bots.Outgoing) error {
	n := utf8.RuneCountInString(m.Text)
	s.mu.Lock()
	prev := s.shown[ref.ID]
	s.mu.Unlock()
	if m.StopButton && n-prev < streamCutoff(s.group, n) {
		return nil
	}
	err := s.Surface.Edit(ctx, ref, m)
	if err == nil {
		s.remember(ref, m.Text)
	}
	return err
}

// remember notes the length of the text last sent to ref.
func (s *everyNSurface) remember(ref bots.MessageRef, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shown[ref.ID] = utf8.RuneCountInString(text)
}

// streamCutoff is n3d1117/chatgpt-telegram-bot's get_stream_cutoff_values:
// how many new characters a message of n characters needs before the next
// edit.
func streamCutoff(group bool, n int) int {
	if group {
		switch {
		case n > 1000:
			return 180
		case n > 200:
			return 120
		case n > 50:
			return 90
		}
		return 50
	}
	switch {
	case n > 1000:
		return 90
	case n > 200:
		return 45
	case n > 50:
		return 25
	}
	return 15
}

// engine is the engine as the Telegram adapter uses it.
type engine interface {
	Submit(ctx context.Context, t bots.Turn) error
	Command(ctx context.Context, c bots.Command) error
	Notify(ctx context.Context, chat, paceKey string, s bots.Surface, replyTo bots.MessageRef, text string)
	StopTurn(chat, id string, by bots.Presser) (bool, error)
}

var _ engine = (*bots.Engine)(nil)

// policyEngine hands the adapter's turns and commands to the engine with
// their surfaces wrapped by a policy.
type policyEngine struct {
	eng    engine
	policy policy
}

// Submit implements the adapter's engine.
func (e policyEngine) Submit(ctx context.Context, t bots.Turn) error {
	t.Surface = e.policy.wrap(t.Surface)
	return e.eng.Submit(ctx, t)
}

// Command implements the adapter's engine.
func (e policyEngine) Command(ctx context.Context, c bots.Command) error {
	c.Surface = e.policy.wrap(c.Surface)
	return e.eng.Command(ctx, c)
}

// Notify implements the adapter's engine.
func (e policyEngine) Notify(ctx context.Context, chat, paceKey string, s bots.Surface, replyTo bots.MessageRef, text string) {
	e.eng.Notify(ctx, chat, paceKey, e.policy.wrap(s), replyTo, text)
}

// StopTurn implements the adapter's engine.
func (e policyEngine) StopTurn(chat, id string, by bots.Presser) (bool, error) {
	return e.eng.StopTurn(chat, id, by)
}
