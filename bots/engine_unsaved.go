package bots

import (
	"context"
	"time"

	"github.com/qwenbot/qwenbot/memory"
)

// Bounds of the turns kept in memory after their store failed.
const (
	// maxUnsavedPerChat is how many failed turns a chat keeps; the oldest
	// is dropped beyond it.
	maxUnsavedPerChat = 8
	// maxUnsaved is how many failed turns the engine keeps in all.
	maxUnsaved = 256
	// maxUnsavedAge is how long a failed turn is kept for a retry.
	maxUnsavedAge = 15 * time.Minute
)

// unsavedTurn is a turn whose store failed (Redis did not answer), kept to
// be stored before its chat's next turn loads the history.
type unsavedTurn struct {
	turn   memory.Turn
	images []memory.Image
	at     time.Time // when the store failed
}

// keepUnsaved keeps t of chat for a retry, within the bounds above; what
// falls out of them is given up.
func (e *Engine) keepUnsaved(ctx context.Context, chat string, u unsavedTurn) {
	e.mu.Lock()
	q := append(e.unsaved[chat], u)
	var dropped []unsavedTurn
	if len(q) > maxUnsavedPerChat {
		dropped, q = q[:len(q)-maxUnsavedPerChat], q[len(q)-maxUnsavedPerChat:]
	}
	e.unsaved[chat] = q
	e.unsavedN += 1 - len(dropped)
	if e.unsavedN > maxUnsaved {
		dropped = append(dropped, e.unsaved[chat][0])
		e.unsaved[chat] = e.unsaved[chat][1:]
		e.unsavedN--
	}
	e.mu.Unlock()
	for _, d := range dropped {
		e.giveUp(ctx, chat, d, "too many turns wait to be stored")
	}
}

// flushUnsaved stores, in order and under lock (a lock of chat this turn
// holds), the turns of chat whose store failed earlier, so that the
// history the turn loads next has them. Those that still fail are kept
// for the next turn; those kept too long are given up.
func (e *Engine) flushUnsaved(ctx context.Context, chat string, lock *memory.Lock) {
	e.mu.Lock()
	q := e.unsaved[chat]
	delete(e.unsaved, chat)
	e.unsavedN -= len(q)
	e.mu.Unlock()
	for i, u := range q {
		if e.clock.Now().Sub(u.at) > maxUnsavedAge {
			e.giveUp(ctx, chat, u, "kept too long")
			continue
		}
		if err := e.store.AppendIfLocked(ctx, chat, lock, u.turn, u.images...); err != nil {
			e.requeueUnsaved(chat, q[i:])
			e.log.WarnContext(ctx, "store an earlier turn again", "chat", chat, "err", err)
			return
		}
		e.log.InfoContext(ctx, "stored an earlier turn after its store had failed", "chat", chat, "late", e.clock.Now().Sub(u.at))
	}
}

// requeueUnsaved puts q back first in chat's failed turns.
func (e *Engine) requeueUnsaved(chat string, q []unsavedTurn) {
	e.mu.Lock()
	e.unsaved[chat] = append(q[:len(q):len(q)], e.unsaved[chat]...)
	e.unsavedN += len(q)
	e.mu.Unlock()
}

// giveUp counts and logs a turn that will not be stored.
func (e *Engine) giveUp(ctx context.Context, chat string, u unsavedTurn, why string) {
	e.obs.TurnUnsaved(platformOf(chat))
	e.log.ErrorContext(ctx, "turn not stored: it is missing from the chat's history", "chat", chat, "reason", why, "failed_at", u.at)
}

// unsavedAtExit bounds storing the kept turns when the engine shuts down.
const unsavedAtExit = 5 * time.Second

// flushAllUnsaved stores the kept turns of every chat, at shutdown, within
// unsavedAtExit; those that still fail are given up.
func (e *Engine) flushAllUnsaved() {
	e.mu.Lock()
	all := e.unsaved
	e.unsaved, e.unsavedN = make(map[string][]unsavedTurn), 0
	e.mu.Unlock()
	if len(all) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), unsavedAtExit)
	defer cancel()
	for chat, q := range all {
		for i, u := range q {
			if err := e.store.Append(ctx, chat, u.turn, u.images...); err != nil {
				for _, lost := range q[i:] {
					e.giveUp(ctx, chat, lost, "the bot is shutting down: "+err.Error())
				}
				break
			}
		}
	}
}
