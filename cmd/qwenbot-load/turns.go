package main

import (
	"sync"
	"time"
)

// stamp is a moment and how many answer tokens were out (sent by the
// model, or visible in the chat) at that moment.
type stamp struct {
	at   time.Time
	upto int
}

// visibleKind is the kind of request that changed what a chat shows.
type visibleKind int

const (
	visibleSend visibleKind = iota
	visibleEdit
	visibleDraft
)

// turnRec is one simulated user message and what became of it, as the
// fake DashScope and the fake Bot API saw it. Safe for concurrent use.
type turnRec struct {
	chat   *simChat
	n      int // turn number in its chat, from 1
	answer int // answer tokens the model will send
	done   chan struct{}

	mu           sync.Mutex
	sent         time.Time
	requested    time.Time // the first model request for the turn arrived
	firstToken   time.Time
	chunks       []stamp // answer frames, in order
	firstVisible time.Time
	firstText    time.Time // first change showing model text
	progress     []stamp   // increases of the visible answer
	edits        int
	final        time.Time
	inputTokens  int
}

// newTurn returns the record of turn n of c, before it is sent.
func newTurn(c *simChat, n, answer int) *turnRec {
	return &turnRec{chat: c, n: n, answer: answer, done: make(chan struct{})}
}

// markSent records when the user sent the message.
func (t *turnRec) markSent(at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sent = at
}

// onInput records a model request that arrived at at with the input
// tokens the model was sent (the last request wins: a retried request
// replaces the first; the first sets when the turn reached the model).
func (t *turnRec) onInput(at time.Time, tokens int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.inputTokens = tokens
	if t.requested.IsZero() {
		t.requested = at
	}
}

// onFrame records a model frame written at: answerUpto is the answer
// tokens sent so far (0 while reasoning).
func (t *turnRec) onFrame(at time.Time, answerUpto int, answer bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.firstToken.IsZero() {
		t.firstToken = at
	}
	if answer {
		t.chunks = append(t.chunks, stamp{at: at, upto: answerUpto})
	}
}

// onVisible records a successful change of what the chat shows at at
// (see readScreen). It reports whether this change delivered the final
// answer.
func (t *turnRec) onVisible(at time.Time, s screen) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.edits++
	if t.firstVisible.IsZero() {
		t.firstVisible = at
	}
	if s.modelText && t.firstText.IsZero() {
		t.firstText = at
	}
	if n := len(t.progress); s.upto > 0 && (n == 0 || s.upto > t.progress[n-1].upto) {
		t.progress = append(t.progress, stamp{at: at, upto: s.upto})
	}
	if !s.final || !t.final.IsZero() {
		return false
	}
	t.final = at
	close(t.done)
	return true
}

// turnStats is what one finished turn contributes to the report.
type turnStats struct {
	delivered    bool
	firstVisible time.Duration // after the first token; -1 if unknown
	firstText    time.Duration // after the first token; -1 if unknown
	// finalAfterLast is from the model's last answer chunk to the final
	// on screen; question from the user's message to it (-1: unknown).
	finalAfterLast time.Duration
	question       time.Duration
	// toRequest is from the user's message to the model request (-1:
	// unknown): what the bot spends before the model sees the question.
	toRequest   time.Duration
	staleness   []time.Duration
	edits       int
	inputTokens int
}

// stats computes the turn's contribution. Staleness is, for every answer
// frame, the time from the frame leaving the model to the first visible
// change showing it.
func (t *turnRec) stats() turnStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := turnStats{delivered: !t.final.IsZero(), firstVisible: -1, firstText: -1,
		finalAfterLast: -1, question: -1, toRequest: -1, edits: t.edits, inputTokens: t.inputTokens}
	if !t.sent.IsZero() && !t.requested.IsZero() {
		s.toRequest = max(t.requested.Sub(t.sent), 0)
	}
	if s.delivered {
		if n := len(t.chunks); n > 0 && t.chunks[n-1].upto >= t.answer {
			s.finalAfterLast = max(t.final.Sub(t.chunks[n-1].at), 0)
		}
		if !t.sent.IsZero() {
			s.question = max(t.final.Sub(t.sent), 0)
		}
	}
	if !t.firstToken.IsZero() && !t.firstVisible.IsZero() {
		s.firstVisible = max(t.firstVisible.Sub(t.firstToken), 0)
	}
	if !t.firstToken.IsZero() && !t.firstText.IsZero() {
		s.firstText = max(t.firstText.Sub(t.firstToken), 0)
	}
	j := 0
	for _, c := range t.chunks {
		for j < len(t.progress) && t.progress[j].upto < c.upto {
			j++
		}
		if j == len(t.progress) {
			break
		}
		s.staleness = append(s.staleness, max(t.progress[j].at.Sub(c.at), 0))
	}
	return s
}
