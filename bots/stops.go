package bots

import (
	"context"
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
	Locked(ctx context.Context, chat string) (bool, error)
}

// stopElsewhere asks the replica running chat's turn (id, or any when id
// is empty) to stop it, when the store can reach other replicas and some
// replica holds the chat's lock. It reports whether it asked.
func (e *Engine) stopElsewhere(chat, id string) bool {
	bus, ok := e.store.(stopBus)
	if !ok {
		return false
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(e.base), stopAskTimeout)
	defer cancel()
	locked, err := bus.Locked(ctx, chat)
	if err != nil {
		e.log.WarnContext(ctx, "check whether another replica runs the chat", "chat", chat, "err", err)
		return false
	}
	if !locked {
		return false
	}
	if err := bus.PublishStop(ctx, memory.Stop{Chat: chat, ID: id, From: e.turnIDs}); err != nil {
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
// asked of this replica once its turn holds the chat's lock is heard.
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

// stopRequested stops the local turn another replica's request names. A
// request of our own, come back through the store, stops nothing: we asked
// because the turn runs elsewhere. A request without a turn id stops only
// a turn that holds the chat's lock, never one still waiting for it (the
// user's next question).
func (e *Engine) stopRequested(st memory.Stop) {
	if st.From == e.turnIDs {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if q := e.chats[st.Chat]; st.ID == "" && (q == nil || !q.locked) {
		return
	}
	e.stopLocked(st.Chat, st.ID)
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
