package bots

import (
	"context"
	"fmt"
)

// Shutdown stops taking turns (Submit returns ErrShuttingDown), lets the
// running and queued turns finish while ctx lasts, then interrupts the
// rest: each running reply ends visibly with "⚠️ interrupted: the bot is
// restarting" and what it showed is stored; each queued turn is told to
// send its message again, all at once within 10 s. Turns whose store
// failed and still wait to be stored are stored then (within 5 s) or
// counted as unsaved. It returns once every goroutine of the engine
// has ended, with an error wrapping ctx's if turns had to be interrupted.
func (e *Engine) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	e.closing = true
	e.mu.Unlock()
	defer e.bg.Wait()
	defer e.flushAllUnsaved()
	if e.cancelWhenIdle(ctx) {
		e.waitStops()
		return nil
	}
	e.log.InfoContext(ctx, "interrupting running turns")
	farewell, cancel := context.WithTimeout(context.Background(), restartNoticeTimeout)
	defer cancel()
	e.mu.Lock()
	e.farewell = farewell
	e.mu.Unlock()
	e.cancel(errShutdown)
	e.drain()
	e.waitStops()
	return fmt.Errorf("shut down engine: turns interrupted: %w", ctx.Err())
}

// cancelWhenIdle waits until no goroutine of the engine runs and then
// cancels the engine's context, both under e.mu, so no notice can start
// between the two; it reports false, cancelling nothing, when ctx ends
// first.
func (e *Engine) cancelWhenIdle(ctx context.Context) bool {
	for {
		e.mu.Lock()
		if e.active == 0 {
			e.cancel(errShutdown)
			e.mu.Unlock()
			return true
		}
		idle := e.idle
		e.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return false
		}
	}
}

// drain waits until no goroutine of the engine runs, once its context is
// cancelled (nothing new starts then).
func (e *Engine) drain() {
	for {
		e.mu.Lock()
		active, idle := e.active, e.idle
		e.mu.Unlock()
		if active == 0 {
			return
		}
		<-idle
	}
}

// Wait blocks until no turn is running or queued and no notice is being
// sent. It is meant for tests; Submit may start new work right after.
func (e *Engine) Wait() {
	e.mu.Lock()
	idle := e.idle
	e.mu.Unlock()
	<-idle
}

// spawnLocked runs fn in a goroutine that Wait and Shutdown wait for.
// e.mu must be held.
func (e *Engine) spawnLocked(fn func()) {
	if e.active == 0 {
		e.idle = make(chan struct{})
	}
	e.active++
	go func() {
		defer e.exited()
		fn()
	}()
}

// exited records the end of a goroutine started by spawnLocked.
func (e *Engine) exited() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.active--
	if e.active == 0 {
		close(e.idle)
	}
}
