package bots

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// Backoff between attempts to deliver the final state after errors the
// pacer cannot adapt to (network errors, 5xx).
const (
	finalBackoffMin = 500 * time.Millisecond
	finalBackoffMax = 30 * time.Second
)

// deliver shows the final state completely, making requests through the
// gate and retrying until ctx ends. It returns nil once the chat shows it,
// and gives up at once when the chat takes no messages from the bot.
func (p *pacer) deliver(ctx context.Context) error {
	st, ver := p.current()
	backoff := finalBackoffMin
	var lastErr error
	for {
		if p.blocked != nil {
			return fmt.Errorf("deliver final reply: %w", p.blocked)
		}
		o := p.nextOp(ctx, st, ver)
		if o.kind == opNone {
			return nil
		}
		if err := p.gate.Wait(ctx, PriorityFinal); err != nil {
			return giveUp(err, lastErr)
		}
		err := p.do(ctx, o)
		p.gate.Done()
		if p.handle(ctx, o, err) != outcomeFailed {
			continue // an undeliverable chat returns at the top
		}
		lastErr = err
		p.log.DebugContext(ctx, "deliver final reply state; retrying", "op", o.kind.String(), "err", err, "backoff", backoff)
		select {
		case <-p.clock.After(jitter(backoff)):
		case <-ctx.Done():
			return giveUp(ctx.Err(), lastErr)
		}
		backoff = min(2*backoff, finalBackoffMax)
	}
}

// giveUp builds Finish's error from why it stopped and the last failure.
func giveUp(stopped, last error) error {
	if last == nil {
		return fmt.Errorf("deliver final reply: %w", stopped)
	}
	return fmt.Errorf("deliver final reply: %w (last error: %w)", stopped, last)
}

// jitter spreads d over [d/2, d) so chats failing together do not retry in
// lockstep.
func jitter(d time.Duration) time.Duration {
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half)
}
