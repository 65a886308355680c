package pace

import (
	"context"
	"errors"
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

// errFinalStalled ends delivering a final state that spent its whole
// ReplyConfig.FinishWork making requests and backing off.
var errFinalStalled = errors.New("no progress delivering the final state")

// deliver shows the final state completely, making requests through the
// gate and retrying until ctx ends. It returns nil once the chat shows it,
// and gives up at once when the chat takes no messages from the bot. Time
// spent waiting for the gate (behind other chats' finals for the per-bot
// budget, or for this chat's pace) does not count against
// ReplyConfig.FinishWork, so a final is not dropped while the bot is busy
// delivering others; only ctx bounds that.
func (p *Reply) deliver(ctx context.Context) error {
	st, ver := p.current()
	backoff := finalBackoffMin
	work := p.cfg.FinishWork
	var spent time.Duration // making requests and backing off
	var lastErr error
	for {
		if p.blocked != nil {
			return fmt.Errorf("deliver final reply: %w", p.blocked)
		}
		o := p.nextOp(ctx, st, ver)
		if o.kind == opNone {
			return nil
		}
		if work > 0 && spent >= work {
			return giveUp(errFinalStalled, lastErr)
		}
		if err := p.gate.Wait(ctx, PriorityFinal); err != nil {
			return giveUp(err, lastErr)
		}
		start := p.clock.Now()
		err := p.doWithin(ctx, o, work-spent)
		p.gate.Done()
		spent += p.clock.Now().Sub(start)
		if p.handle(ctx, o, err) != outcomeFailed {
			continue // an undeliverable chat returns at the top
		}
		lastErr = err
		p.log.DebugContext(ctx, "deliver final reply state; retrying", "op", o.kind.String(), "err", err, "backoff", backoff)
		wait := Jitter(backoff)
		if work > 0 {
			wait = max(min(wait, work-spent), 0)
		}
		select {
		case <-p.clock.After(wait):
			spent += wait
		case <-ctx.Done():
			return giveUp(ctx.Err(), lastErr)
		}
		backoff = min(2*backoff, finalBackoffMax)
	}
}

// doWithin makes the request o, cancelling it after left when the final
// state's work is bounded (FinishWork > 0).
func (p *Reply) doWithin(ctx context.Context, o op, left time.Duration) error {
	if p.cfg.FinishWork <= 0 {
		return p.do(ctx, o)
	}
	ctx, cancel := context.WithTimeout(ctx, max(left, time.Millisecond))
	defer cancel()
	return p.do(ctx, o)
}

// giveUp builds Finish's error from why it stopped and the last failure.
func giveUp(stopped, last error) error {
	if last == nil {
		return fmt.Errorf("deliver final reply: %w", stopped)
	}
	return fmt.Errorf("deliver final reply: %w (last error: %w)", stopped, last)
}

// Jitter spreads d over [d/2, d) so chats failing together do not retry in
// lockstep.
func Jitter(d time.Duration) time.Duration {
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half)
}
