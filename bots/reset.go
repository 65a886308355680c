package bots

import (
	"context"
	"fmt"
	"slices"
)

// resetJob is a /reset waiting in its chat's queue.
type resetJob struct {
	cmd Command
	cat catalog
}

// resetLater stops the running turn of c's chat and queues the reset of
// its history first in the chat's queue: it runs once the stopped turn is
// stored, and before the turns still waiting, which then start afresh. A
// reset already waiting makes another one needless. A turn of the chat
// running on another replica (holding the chat's lock) is asked to stop
// too.
func (e *Engine) resetLater(c Command, cat catalog) {
	if !e.queueReset(c, cat) {
		e.stopElsewhere(c.Chat, "")
	}
}

// queueReset is resetLater under e.mu: it reports whether the chat's lock
// is held here, so that no other replica can be running a turn of it.
func (e *Engine) queueReset(c Command, cat catalog) (ours bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closing {
		e.noticeLocked(c.notice(cat.Restarting))
		return true
	}
	e.stopLocked(c.Chat, "")
	q := e.queueLocked(c.Chat)
	ours = q.locked
	if len(q.pending) > 0 && q.pending[0].reset != nil {
		return ours
	}
	q.pending = slices.Insert(q.pending, 0, job{reset: &resetJob{cmd: c, cat: cat}, at: e.clock.Now()})
	return ours
}

// runReset clears a chat's history under the chat's lock, which the
// chat's turns hold until they are stored (on any replica), and tells the
// user.
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

// reset clears chat's history while holding its lock.
func (e *Engine) reset(ctx context.Context, chat string) error {
	lock, err := e.store.Lock(ctx, chat, e.cfg.LockTTL)
	if err != nil {
		return fmt.Errorf("reset history: lock chat: %w", err)
	}
	ctx, lose := context.WithCancelCause(ctx)
	defer lose(nil)
	release := e.holdLock(ctx, chat, lock, lose)
	defer release()
	if err := e.store.Reset(ctx, chat); err != nil {
		return fmt.Errorf("reset history: %w", err)
	}
	return nil
}
