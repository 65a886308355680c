package main

import (
	"testing"
	"time"
)

func TestChatTurnsFindTheirTurn(t *testing.T) {
	c := &simChat{id: -5}
	t1, t2 := newTurn(c, 1, 3), newTurn(c, 2, 3)
	c.track(t1, 10)
	c.track(t2, 11)
	if c.turnByNumber(1) != t1 || c.turnByNumber(2) != t2 || c.turnByNumber(3) != nil {
		t.Error("turnByNumber did not find the turns by number")
	}
	if c.turnFor(10) != t1 || c.turnFor(11) != t2 || c.turnFor(0) != t2 || c.turnFor(99) != nil {
		t.Error("turnFor did not find the turns by question")
	}
}

func TestTurnToRequestIsTheFirstModelRequest(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := newTurn(nil, 1, 10)
	if got := rec.stats().toRequest; got != -1 {
		t.Fatalf("toRequest before anything = %v, want -1", got)
	}
	rec.markSent(t0)
	if got := rec.stats().toRequest; got != -1 {
		t.Fatalf("toRequest before the model request = %v, want -1", got)
	}
	rec.onInput(t0.Add(30*time.Millisecond), 100)
	rec.onInput(t0.Add(900*time.Millisecond), 50) // a retry with less history
	s := rec.stats()
	if s.toRequest != 30*time.Millisecond || s.inputTokens != 50 {
		t.Errorf("toRequest %v, input tokens %d; want 30ms (the first request) and 50 (the last)", s.toRequest, s.inputTokens)
	}
}
