package bots

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/qwenbot/qwenbot/bots/pace"
)

// resetJob is a /reset waiting in its chat's queue.
type resetJob struct {
	cmd Command
	cat catalog
}

// resetLater stops the running turns of c's chat and queues the reset of
// its history first in the chat's queue: it runs once the stopped turns
// are stored, and before the turns still waiting, which then start
// afresh. A reset already waiting makes another one needless. Turns of the
// chat running on other replicas are asked to stop too.
func (e *Engine) resetLater(c Command, cat catalog) {
	if e.queueReset(c, cat) {
		e.stopElsewhere(c.Chat, "", "")
	}
}

// queueReset is resetLater under e.mu; it reports whether it queued the
// reset.
func (e *Engine) queueReset(c Command, cat catalog) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closing {
		e.noticeLocked(c.notice(cat.Restarting))
		return false
	}
	e.stopLocked(c.Chat, "", "", false)
	q := e.queueLocked(c.Chat)
	if len(q.pending) == 0 || q.pending[0].reset == nil {
		q.pending = slices.Insert(q.pending, 0, job{reset: &resetJob{cmd: c, cat: cat}, at: e.clock.Now()})
	}
	e.dispatchLocked(c.Chat, q)
	return true
}

// runReset clears a chat's history once no turn of it holds a lock (on
// any replica: they hold their locks until they are stored), and tells
// the user.
func (e *Engine) runReset(ctx context.Context, r *resetJob) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.TurnTimeout)
	defer cancel()
	text := r.cat.ResetDone
	if err := e.reset(ctx, r.cmd.Chat); err != nil {
		text = r.cat.CommandFailed
		e.log.WarnContext(ctx, "run command", "command", string(r.cmd.Name), "chat", r.cmd.Chat, "err", err)
	}
	e.answer(r.cmd, text)
}

// reset clears chat's history once no turn of the chat holds its lock
// anywhere: the turns it stopped on other replicas are stored first, so
// the reset clears them too.
func (e *Engine) reset(ctx context.Context, chat string) error {
	if err := e.awaitUnlocked(ctx, chat); err != nil {
		return fmt.Errorf("reset history: %w", err)
	}
	if err := e.store.Reset(ctx, chat); err != nil {
		return fmt.Errorf("reset history: %w", err)
	}
	return nil
}

// Polling for a chat whose turns hold their locks.
const (
	unlockPollMin = 5 * time.Millisecond
	unlockPollMax = 250 * time.Millisecond
)

// awaitUnlocked waits until no replica holds a lock of chat, polling the
// store with backoff, while ctx lasts. A store that cannot tell (no
// stopBus) has no other replica: this one's turns have ended.
func (e *Engine) awaitUnlocked(ctx context.Context, chat string) error {
	bus, ok := e.store.(stopBus)
	if !ok {
		return nil
	}
	wait := unlockPollMin
	for {
		n, err := bus.Lockers(ctx, chat)
		if err != nil {
			return fmt.Errorf("wait for the chat's turns: %w", err)
		}
		if n == 0 {
			return nil
		}
		select {
		case <-e.clock.After(pace.Jitter(wait)):
		case <-ctx.Done():
			return fmt.Errorf("wait for the chat's turns: %w", ctx.Err())
		}
		wait = min(2*wait, unlockPollMax)
	}
}
