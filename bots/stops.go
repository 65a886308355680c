package bots

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/bots/pace"
	"github.com/qwenbot/qwenbot/memory"
)

// stopAskTimeout bounds asking the store whether another replica runs a
// chat's turn, and telling it to stop.
const stopAskTimeout = 3 * time.Second

// Backoff between attempts to subscribe to stop requests.
const (
	stopsRetryMin = time.Second
	stopsRetryMax = time.Minute
)

// stopBus carries /stop between replicas; *memory.Store (Redis pub/sub)
// and *memory.Embedded (in process) implement it. A store without it stops
// local turns only.
type stopBus interface {
	PublishStop(ctx context.Context, st memory.Stop) error
	Stops(ctx context.Context) (<-chan memory.Stop, error)
	LockedFor(ctx context.Context, chat, holder string) (bool, error)
	Lockers(ctx context.Context, chat string) (int, error)
}

// Stop cancels every running turn of chat and reports whether there was
// one here; turns of the chat running on other replicas are asked to stop
// too. What the replies showed stays, ending in "⏹ stopped", and the turns
// are stored as stopped. Turns queued behind them still run.
func (e *Engine) Stop(chat string) bool {
	return e.stopAnywhere(chat, "", "")
}

// stopCommand answers /stop: an admin's stops every turn of the chat,
// anyone else's the sender's own turn. It reports true also when those
// turns all run on other replicas and were asked to stop there, so /stop
// says it stopped rather than that nothing runs.
func (e *Engine) stopCommand(c Command) bool {
	if c.Sender.Admin {
		return e.Stop(c.Chat)
	}
	return e.stopAnywhere(c.Chat, "", c.asker())
}

// stopAnywhere stops chat's running turn id, else asker's turn, else every
// turn: here, and on the replicas that run them. A turn id names the
// replica that gave it and its asker: an id of ours that matches no
// running turn is a stale button, and stops nothing anywhere. While
// asker's turn holds its lock here no other replica runs a turn of asker,
// so nothing is asked of them; else the request goes to the replica
// holding the asker's lock, and a local turn of asker still waiting for
// the lock is stopped only when no replica holds it.
func (e *Engine) stopAnywhere(chat, id, asker string) bool {
	if id != "" {
		asker = askerOfID(id)
		if asker == "" {
			return false // not a turn id
		}
	}
	e.mu.Lock()
	if e.ownsTurnID(id) || (id == "" && asker != "" && e.holdsLocked(chat, asker)) {
		defer e.mu.Unlock()
		return e.stopLocked(chat, id, asker, false)
	}
	here := id == "" && asker == "" && e.stopLocked(chat, "", "", true)
	e.mu.Unlock()
	elsewhere := e.stopElsewhere(chat, id, asker)
	return here || elsewhere || (id == "" && e.stop(chat, "", asker))
}

// ownsTurnID reports whether id is the id of a turn of this engine.
func (e *Engine) ownsTurnID(id string) bool {
	return strings.HasPrefix(id, e.turnIDs+".")
}

// holdsLocked reports whether a turn of asker in chat holds its lock here.
// e.mu must be held.
func (e *Engine) holdsLocked(chat, asker string) bool {
	q := e.chats[chat]
	return q != nil && slices.ContainsFunc(q.running, func(r *runningJob) bool { return r.asker == asker && r.locked })
}

// lockedHere returns how many jobs of chat hold their lock here.
func (e *Engine) lockedHere(chat string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	if q := e.chats[chat]; q != nil {
		for _, r := range q.running {
			if r.locked {
				n++
			}
		}
	}
	return n
}

// stop is stopLocked under e.mu, for turns holding their lock or not.
func (e *Engine) stop(chat, id, asker string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stopLocked(chat, id, asker, false)
}

// stopLocked stops the running turns of chat here whose id is id and
// whose asker is asker (either empty: any), only those holding their lock
// when locked is set, and reports whether it stopped one. e.mu must be
// held.
func (e *Engine) stopLocked(chat, id, asker string, locked bool) bool {
	q := e.chats[chat]
	if q == nil {
		return false
	}
	stopped := false
	for _, r := range q.running {
		if r.cancel == nil || (id != "" && r.id != id) || (asker != "" && r.asker != asker) || (locked && !r.locked) {
			continue
		}
		r.cancel(errStopped)
		r.cancel = nil
		stopped = true
	}
	return stopped
}

// stopElsewhere asks the replicas running chat's turn id of asker, else
// asker's turn, else every turn of the chat, to stop them, when the store
// can reach other replicas and some replica holds the asker's lock (any
// lock of the chat, for every turn). It reports whether it asked.
func (e *Engine) stopElsewhere(chat, id, asker string) bool {
	bus, ok := e.store.(stopBus)
	if !ok {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(e.base), stopAskTimeout)
	defer cancel()
	var locked bool
	var err error
	if asker != "" {
		locked, err = bus.LockedFor(ctx, chat, asker)
	} else {
		// Count ours first: a turn of ours counts here until after it
		// released its lock in Redis, so one ending meanwhile is not
		// taken for another replica's.
		here := e.lockedHere(chat)
		var n int
		n, err = bus.Lockers(ctx, chat)
		locked = n > here
	}
	if err != nil {
		e.log.WarnContext(ctx, "check whether another replica runs the chat", "chat", chat, "err", err)
		return false
	}
	if !locked {
		return false
	}
	if id != "" {
		asker = "" // the id names the turn
	}
	if err := bus.PublishStop(ctx, memory.Stop{Chat: chat, ID: id, Holder: asker, From: e.turnIDs}); err != nil {
		e.log.WarnContext(ctx, "ask other replicas to stop a turn", "chat", chat, "err", err)
		return false
	}
	return true
}

// listenStopsLocked starts, once, the goroutine that stops local turns on
// other replicas' requests; Shutdown ends it and waits for it. e.mu must be
// held.
func (e *Engine) listenStopsLocked() {
	bus, ok := e.store.(stopBus)
	if !ok || e.stopsDone != nil {
		return
	}
	done, ready := make(chan struct{}), make(chan struct{})
	e.stopsDone, e.stopsReady = done, ready
	go func() {
		defer close(done)
		e.listenStops(e.base, bus, ready)
	}()
}

// awaitStops waits until the stop listener has subscribed, so that a stop
// asked of this replica once its turn holds its lock is heard.
func (e *Engine) awaitStops(ctx context.Context) {
	e.mu.Lock()
	ready := e.stopsReady
	e.mu.Unlock()
	if ready == nil {
		return
	}
	select {
	case <-ready:
	case <-ctx.Done():
	}
}

// listenStops subscribes to stop requests, resubscribing with backoff
// after failures, and stops the local turns they name until ctx ends. It
// closes ready after its first attempt to subscribe.
func (e *Engine) listenStops(ctx context.Context, bus stopBus, ready chan struct{}) {
	var once sync.Once
	markReady := func() { once.Do(func() { close(ready) }) }
	defer markReady()
	wait := stopsRetryMin
	for ctx.Err() == nil {
		stops, err := bus.Stops(ctx)
		markReady()
		if err == nil {
			wait = stopsRetryMin
			for st := range stops { // closed when ctx ends
				e.stopRequested(st)
			}
			continue
		}
		e.log.WarnContext(ctx, "subscribe to stop requests; retrying", "err", err, "backoff", wait)
		select {
		case <-e.clock.After(pace.Jitter(wait)):
		case <-ctx.Done():
		}
		wait = min(2*wait, stopsRetryMax)
	}
}

// stopRequested stops the local turns another replica's request names. A
// request of our own, come back through the store, stops nothing: we asked
// because the turn runs elsewhere. A request without a turn id stops only
// turns that hold their lock, never one still waiting for it (the user's
// next question).
func (e *Engine) stopRequested(st memory.Stop) {
	if st.From == e.turnIDs {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	q := e.chats[st.Chat]
	if q == nil {
		return
	}
	for _, r := range q.running {
		if r.cancel == nil || (st.ID != "" && r.id != st.ID) || (st.ID == "" && (!r.locked || (st.Holder != "" && r.asker != st.Holder))) {
			continue
		}
		r.cancel(errStopped)
		r.cancel = nil
	}
}

// waitStops waits for the stop listener, once the engine's context ended.
func (e *Engine) waitStops() {
	e.mu.Lock()
	done := e.stopsDone
	e.mu.Unlock()
	if done != nil {
		<-done
	}
}
