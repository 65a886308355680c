package bots

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// TestShutdownLeavesNoNoticeRunning checks Shutdown's contract for a notice
// asked for the moment the engine goes idle: it is either refused (the
// engine's context was cancelled first) or waited for. Which of the two
// happens depends on the scheduler.
func TestShutdownLeavesNoNoticeRunning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newTestEngine(t, Config{}, newFakeModel(), newEmbeddedStore(t))
		s := newRecSurface()
		s.SendErr = func(context.Context, Outgoing) error {
			<-time.After(time.Second) // a slow platform, deaf to cancellation
			return nil
		}
		release := make(chan struct{})
		e.mu.Lock()
		e.spawnLocked(func() { <-release }) // the engine's last busy goroutine
		gen := e.idle
		e.mu.Unlock()
		res := make(chan error, 1)
		go func() { res <- e.Shutdown(context.Background()) }()
		synctest.Wait()
		go func() { // a command answered the moment the engine went idle
			<-gen
			e.mu.Lock()
			e.noticeLocked(turnFor("tg:2", "q", s).notice("late notice"))
			e.mu.Unlock()
		}()
		synctest.Wait()
		close(release)
		if err := <-res; err != nil {
			t.Fatalf("Shutdown = %v", err)
		}
		e.mu.Lock()
		active := e.active
		e.mu.Unlock()
		if active != 0 {
			t.Errorf("Shutdown returned with %d engine goroutines running", active)
		}
	})
}

func TestShutdownWaitsForANoticeStartedWhileTurnsDrain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newFakeModel()
		e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
		s := newRecSurface()
		if err := e.Submit(t.Context(), turnFor("tg:1", "question", s)); err != nil {
			t.Fatal(err)
		}
		st := m.Next(t)
		res := make(chan error, 1)
		go func() { res <- e.Shutdown(context.Background()) }()
		synctest.Wait()
		slow := newRecSurface()
		sent := make(chan struct{})
		slow.SendErr = func(context.Context, Outgoing) error {
			<-time.After(time.Minute)
			close(sent)
			return nil
		}
		if err := e.Command(t.Context(), Command{Name: CmdReset, Chat: "tg:2", Surface: slow}); err != nil { // told to come back
			t.Fatal(err)
		}
		st.Answer("complete answer")
		if err := <-res; err != nil {
			t.Fatalf("Shutdown = %v", err)
		}
		select {
		case <-sent:
		default:
			t.Error("Shutdown returned while a notice was still being sent")
		}
	})
}
