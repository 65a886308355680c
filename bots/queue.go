package bots

import (
	"context"
	"hash/fnv"
	"slices"
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

// ended calls t.Ended, if set.
func (t Turn) ended() {
	if t.Ended != nil {
		t.Ended()
	}
}

// endedLocked calls t.Ended, if set, in a goroutine that Wait and
// Shutdown wait for. e.mu must be held.
func (e *Engine) endedLocked(t Turn) {
	if t.Ended != nil {
		e.spawnLocked(t.Ended)
	}
}

// notice returns text as a notice replying to j's turn or command.
func (j job) notice(text string) notice {
	if j.reset != nil {
		return j.reset.cmd.notice(text)
	}
	return j.turn.notice(text)
}

// asker returns the key of who asked t: its turns run one at a time, in
// order, while different askers of a chat are answered side by side. It is
// also the holder of the turn's lock in the chat (see memory.Store.LockFor)
// and ends the turn's id, so that any replica can tell whose turn a Stop
// button stops.
func (t Turn) asker() string {
	return askerKey(t.User, t.Chat, t.Sender.ID)
}

// asker returns the key of who sent c, as Turn.asker.
func (c Command) asker() string {
	return askerKey(c.User, c.Chat, c.Sender.ID)
}

// askerKey is a short key of a sender (see userKey) in chat: a hash, so
// that it fits in a button's data. Two senders whose keys collide only
// have their turns run one after the other.
func askerKey(user, chat, sender string) string {
	h := fnv.New32a()
	h.Write([]byte(userKey(user, chat, sender)))
	return strconv.FormatUint(uint64(h.Sum32()), 36)
}

// askerOfID returns the asker a turn id ends with, or "".
func askerOfID(id string) string {
	if strings.Count(id, ".") != 2 {
		return ""
	}
	return id[strings.LastIndexByte(id, '.')+1:]
}

// chatQueue holds one chat's jobs: those waiting, in arrival order, and
// those running. A turn runs once no turn of its asker runs and fewer than
// Config.MaxTurnsPerChat run; a /reset runs alone, after the jobs before
// it and before those after it. The queue is removed when it is empty.
// Fields are guarded by Engine.mu.
type chatQueue struct {
	pending []job
	running []*runningJob
}

// runningJob is one job of a chat that runs. Fields are guarded by
// Engine.mu.
type runningJob struct {
	asker string // the turn's asker; empty for a reset
	reset bool
	// id is the turn's id.
	id string
	// cancel stops the turn; nil for a reset or once stopped.
	cancel context.CancelCauseFunc
	// locked is set while the job holds its lock in the store: only then
	// is the lock, if held, this replica's.
	locked bool
}

// enqueue appends t to its chat's queue and starts what may run, or
// answers that the bot is busy when too many of the asker's (or the
// chat's) turns wait.
func (e *Engine) enqueue(t Turn, cat catalog) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closing {
		return ErrShuttingDown
	}
	q := e.queueLocked(t.Chat)
	asker := t.asker()
	mine := 0
	for _, j := range q.pending {
		if j.reset == nil && j.turn.asker() == asker {
			mine++
		}
	}
	if mine >= e.cfg.QueueSize || len(q.pending) >= e.cfg.QueueSize*e.cfg.MaxTurnsPerChat {
		e.obs.TurnRejected(platformOf(t.Chat), RejectBusy)
		e.noticeLocked(t.notice(cat.Busy))
		e.endedLocked(t)
		return nil
	}
	q.pending = append(q.pending, job{turn: t, at: e.clock.Now()})
	e.obs.QueueDepth(1)
	e.listenStopsLocked()
	e.dispatchLocked(t.Chat, q)
	return nil
}

// queueLocked returns the queue of chat, creating it when it has none.
// e.mu must be held.
func (e *Engine) queueLocked(chat string) *chatQueue {
	q := e.chats[chat]
	if q == nil {
		q = &chatQueue{}
		e.chats[chat] = q
	}
	return q
}

// dispatchLocked starts the jobs of chat that may run now, and removes the
// queue once nothing runs or waits. After Shutdown has interrupted the
// engine, the jobs still waiting are told to come back instead. e.mu must
// be held.
func (e *Engine) dispatchLocked(chat string, q *chatQueue) {
	if e.base.Err() != nil && len(q.pending) > 0 {
		jobs := q.pending
		q.pending = nil
		e.spawnLocked(func() { e.restartNotices(jobs) })
	}
	e.startReadyLocked(chat, q)
	if len(q.running) == 0 && len(q.pending) == 0 && e.chats[chat] == q {
		delete(e.chats, chat)
	}
}

// startReadyLocked starts, in order, the waiting jobs of q that may run.
// e.mu must be held.
func (e *Engine) startReadyLocked(chat string, q *chatQueue) {
	busy := make(map[string]bool, len(q.running))
	for _, r := range q.running {
		if r.reset {
			return
		}
		busy[r.asker] = true
	}
	for i := 0; i < len(q.pending); {
		j := q.pending[i]
		switch {
		case j.reset != nil:
			if len(q.running) == 0 {
				q.pending = slices.Delete(q.pending, i, i+1)
				e.startLocked(chat, q, j)
			}
			return
		case busy[j.turn.asker()]:
			i++ // keeps its place behind its asker's running turn
			continue
		case len(q.running) >= e.cfg.MaxTurnsPerChat:
			return
		}
		q.pending = slices.Delete(q.pending, i, i+1)
		busy[j.turn.asker()] = true
		e.startLocked(chat, q, j)
	}
}

// startLocked runs j in a goroutine of its own, with a context that Stop
// cancels; when it ends, the chat's next jobs start. e.mu must be held.
func (e *Engine) startLocked(chat string, q *chatQueue, j job) {
	ctx, cancel := context.WithCancelCause(e.base)
	r := &runningJob{reset: j.reset != nil}
	if j.reset == nil {
		e.obs.QueueDepth(-1)
		e.turnSeq++
		r.asker = j.turn.asker()
		j.id = e.turnIDs + "." + strconv.FormatUint(e.turnSeq, 36) + "." + r.asker
		r.id, r.cancel = j.id, cancel
	}
	q.running = append(q.running, r)
	e.spawnLocked(func() {
		if j.reset != nil {
			e.runReset(ctx, j.reset)
		} else {
			e.runTurn(ctx, j, r)
		}
		cancel(nil)
		e.mu.Lock()
		defer e.mu.Unlock()
		q.running = slices.DeleteFunc(q.running, func(x *runningJob) bool { return x == r })
		e.dispatchLocked(chat, q)
	})
}

// markLocked records whether r holds its lock.
func (e *Engine) markLocked(r *runningJob, locked bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r.locked = locked
}

// restartNotices tells the senders of jobs (turns and commands), which
// will never run, to send them again: all at once, within the deadline
// Shutdown set for all chats. Resumable turns are left to the next
// process instead.
func (e *Engine) restartNotices(jobs []job) {
	e.mu.Lock()
	ctx := e.farewell
	e.mu.Unlock()
	if ctx == nil { // only Shutdown cancels e.base, after setting it
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.Background(), restartNoticeTimeout)
		defer cancel()
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		text := catalogFor(e.langFor(j.turn.Chat, j.turn.Lang)).Restarting
		if j.reset == nil {
			e.obs.QueueDepth(-1)
			e.obs.TurnRejected(platformOf(j.turn.Chat), RejectRestarted)
			if j.turn.Resumable {
				continue // the next process answers it
			}
		}
		wg.Go(func() {
			n := j.notice(text)
			if err := e.reply(ctx, n); err != nil {
				e.log.WarnContext(ctx, "tell a queued turn to come back", "chat", n.chat, "err", err)
			}
			j.turn.ended()
		})
	}
	wg.Wait()
}
