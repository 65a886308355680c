package bots

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
)

// restartNoticeTimeout bounds telling the queued turns, at shutdown, to
// send their messages again.
const restartNoticeTimeout = 10 * time.Second

// job is a queued turn, or a /reset to run in the chat's order.
type job struct {
	turn  Turn
	reset *resetJob // set for a /reset, which has no turn
	at    time.Time // when it was queued
	id    string    // the turn's id, given when it starts
}

// notice returns text as a notice replying to j's turn or command.
func (j job) notice(text string) notice {
	if j.reset != nil {
		return j.reset.cmd.notice(text)
	}
	return j.turn.notice(text)
}

// chatQueue holds one chat's waiting turns. Its worker goroutine runs them
// one at a time, in order, and exits (removing the queue) when none is
// left. Fields are guarded by Engine.mu.
type chatQueue struct {
	pending []job
	// running is set while the worker runs a turn taken off pending.
	running bool
	// cancel cancels the running turn; nil when none runs or it was
	// already stopped.
	cancel context.CancelCauseFunc
	// turnID is the id of the running turn.
	turnID string
	// locked is set while the running turn (or reset) holds the chat's
	// lock: only then is the chat's lock, if held, this replica's.
	locked bool
}

// enqueue appends t to its chat's queue, starting the chat's worker if it
// has none, or answers that the bot is busy when the queue is full.
func (e *Engine) enqueue(t Turn, cat catalog) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closing {
		return ErrShuttingDown
	}
	_, busy := e.chats[t.Chat]
	q := e.queueLocked(t.Chat)
	if busy && q.waiting() >= e.cfg.QueueSize {
		e.obs.TurnRejected(platformOf(t.Chat), RejectBusy)
		e.noticeLocked(t.notice(cat.Busy))
		return nil
	}
	q.pending = append(q.pending, job{turn: t, at: e.clock.Now()})
	e.obs.QueueDepth(1)
	e.listenStopsLocked()
	return nil
}

// queueLocked returns the queue of chat, creating it and starting its
// worker when it has none. e.mu must be held.
func (e *Engine) queueLocked(chat string) *chatQueue {
	q := e.chats[chat]
	if q == nil {
		q = &chatQueue{}
		e.chats[chat] = q
		e.spawnLocked(func() { e.work(chat, q) })
	}
	return q
}

// work runs the turns of chat until its queue is empty. After Shutdown has
// interrupted the engine, the turns still queued are told to come back
// instead.
func (e *Engine) work(chat string, q *chatQueue) {
	for {
		j, ctx, cancel, ok := e.next(chat, q)
		if !ok {
			return
		}
		switch {
		case e.base.Err() != nil:
			e.restartNotices(q, j)
		case j.reset != nil:
			e.runReset(ctx, j.reset)
		default:
			e.runTurn(ctx, j)
		}
		cancel(nil)
		e.mu.Lock()
		q.cancel, q.running, q.turnID, q.locked = nil, false, "", false
		e.mu.Unlock()
	}
}

// next takes the next turn off q with a context for it that Stop cancels,
// or removes the queue and returns false when it is empty.
func (e *Engine) next(chat string, q *chatQueue) (job, context.Context, context.CancelCauseFunc, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(q.pending) == 0 {
		delete(e.chats, chat)
		return job{}, nil, nil, false
	}
	j := q.pending[0]
	q.pending[0] = job{}
	q.pending = q.pending[1:]
	ctx, cancel := context.WithCancelCause(e.base)
	q.running = true
	if j.reset == nil {
		e.obs.QueueDepth(-1)
		e.turnSeq++
		j.id = e.turnIDs + "." + strconv.FormatUint(e.turnSeq, 36)
		q.cancel, q.turnID = cancel, j.id
	}
	return j, ctx, cancel, true
}

// Stop cancels the running turn of chat and reports whether there was one.
// What the reply showed stays, ending in "⏹ stopped", and the turn is
// stored as stopped. Turns queued behind it still run. When no turn of the
// chat runs here but another replica holds the chat's lock, Stop asks the
// replicas through the store to stop it and reports true.
func (e *Engine) Stop(chat string) bool {
	return e.stopAnywhere(chat, "")
}

// StopTurn is Stop for a Stop button: it stops the running turn of chat
// only if its id is id (the Outgoing.StopID of the button's message), so
// a button left on an earlier reply stops nothing. An empty id stops
// nothing.
func (e *Engine) StopTurn(chat, id string) bool {
	return id != "" && e.stopAnywhere(chat, id)
}

// stop stops the running turn of chat if its id is id, or any when id is
// empty.
func (e *Engine) stop(chat, id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stopLocked(chat, id)
}

// stopAnywhere stops chat's running turn (id, or any when id is empty)
// here, or else asks the replica that runs it to. A turn id names the
// replica that gave it: an id of ours that matches no running turn is a
// stale button, and stops nothing anywhere. While we hold the chat's lock
// no other replica runs a turn of it, so nothing is asked of them. Else the
// request goes to the replica holding the lock; without an id, a local turn
// still waiting for the lock is stopped only when no replica holds it.
func (e *Engine) stopAnywhere(chat, id string) bool {
	e.mu.Lock()
	q := e.chats[chat]
	if e.ownsTurnID(id) || (q != nil && q.locked) {
		defer e.mu.Unlock()
		return e.stopLocked(chat, id)
	}
	e.mu.Unlock()
	return e.stopElsewhere(chat, id) || (id == "" && e.stop(chat, ""))
}

// ownsTurnID reports whether id is the id of a turn of this engine.
func (e *Engine) ownsTurnID(id string) bool {
	return strings.HasPrefix(id, e.turnIDs+".")
}

// markLocked records whether chat's running job holds the chat's lock.
func (e *Engine) markLocked(chat string, locked bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if q := e.chats[chat]; q != nil {
		q.locked = locked
	}
}

// stopLocked is stop with e.mu held.
func (e *Engine) stopLocked(chat, id string) bool {
	q := e.chats[chat]
	if q == nil || q.cancel == nil || (id != "" && id != q.turnID) {
		return false
	}
	q.cancel(errStopped)
	q.cancel = nil
	return true
}

// waiting returns how many of q's turns wait behind the one that runs (or
// is about to). Engine.mu must be held.
func (q *chatQueue) waiting() int {
	if q.running {
		return len(q.pending)
	}
	return max(len(q.pending)-1, 0)
}

// restartNotices tells the senders of j and of the rest of q's turns
// (and commands), which will never run, to send them again: all at once,
// within the deadline Shutdown set for all chats.
func (e *Engine) restartNotices(q *chatQueue, j job) {
	e.mu.Lock()
	jobs := append([]job{j}, q.pending...)
	q.pending = nil
	ctx := e.farewell
	e.mu.Unlock()
	if ctx == nil { // only Shutdown cancels e.base, after setting it
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.Background(), restartNoticeTimeout)
		defer cancel()
	}
	text := catalogFor(e.cfg.Language).Restarting
	var wg sync.WaitGroup
	for i, j := range jobs {
		if j.reset == nil {
			if i > 0 { // next counted the first
				e.obs.QueueDepth(-1)
			}
			e.obs.TurnRejected(platformOf(j.turn.Chat), RejectRestarted)
		}
		wg.Go(func() {
			n := j.notice(text)
			if err := e.reply(ctx, n); err != nil {
				e.log.WarnContext(ctx, "tell a queued turn to come back", "chat", n.chat, "err", err)
			}
		})
	}
	wg.Wait()
}
