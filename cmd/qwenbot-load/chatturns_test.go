package main

import "testing"

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
