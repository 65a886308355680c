package main

// track makes t the chat's running turn, findable by its number (for the
// fake model) and by the id of the message that asked it (for the
// replies). Call it before the question is sent.
func (c *simChat) track(t *turnRec, questionID int) {
	c.mu.Lock()
	if c.byNumber == nil {
		c.byNumber, c.byQuestion = make(map[int]*turnRec), make(map[int]*turnRec)
	}
	c.byNumber[t.n] = t
	c.byQuestion[questionID] = t
	c.mu.Unlock()
	c.turns = append(c.turns, t)
	c.cur.Store(t)
}

// turnByNumber returns turn n of the chat, or nil.
func (c *simChat) turnByNumber(n int) *turnRec {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byNumber[n]
}

// turnFor returns the turn a bot message belongs to: the one whose
// question the message's reply chain answers, else (a message that
// replies to nothing, or a draft) the chat's running turn; nil for a
// reply to something no turn asked.
func (c *simChat) turnFor(question int) *turnRec {
	if question == 0 {
		return c.cur.Load()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byQuestion[question]
}
