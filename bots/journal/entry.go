package journal

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/qwenbot/qwenbot/bots"
)

// Entry is the record of one update on its way through the adapter, or
// the records of several (Merge) that share one fate. Its ids and flags
// are fixed once it is handed on; its state is safe for concurrent use.
type Entry struct {
	ids     []string
	group   string
	claimed bool         // taken over from a process that died
	state   atomic.Int32 // open, queued, handed or kept
}

// States of an entry.
const (
	open   = iota // being routed: ended if no job takes it (EndIfOpen)
	queued        // a job handles it: ended when the job ends (Settle)
	handed        // submitted as a turn: ended when the turn ends (HandOff)
	kept          // left for the next process (Keep)
)

// ID returns the id en is recorded under; the ids, comma-separated, of a
// merged entry.
func (en *Entry) ID() string { return strings.Join(en.ids, ",") }

// Claimed reports whether en was taken over from a process that died (or
// merges one that was). A nil en was not.
func (en *Entry) Claimed() bool { return en != nil && en.claimed }

// Queue marks en as taken by a job: the job's Settle ends it, unless the
// job hands it on. It does nothing to a nil en or one no longer open.
func (en *Entry) Queue() {
	if en != nil {
		en.state.CompareAndSwap(open, queued)
	}
}

// EndIfOpen ends en unless a job took it: for an update that, once
// routed, turned out to need no work.
func (t *Tracker) EndIfOpen(en *Entry) {
	if en != nil && en.state.Load() == open {
		t.End(en)
	}
}

type entryKey struct{}

// WithEntry returns ctx carrying en, the entry of the update its job
// handles; a nil en hides any entry ctx carried.
func WithEntry(ctx context.Context, en *Entry) context.Context {
	return context.WithValue(ctx, entryKey{}, en)
}

// EntryOf returns the entry ctx carries, or nil.
func EntryOf(ctx context.Context) *Entry {
	en, _ := ctx.Value(entryKey{}).(*Entry)
	return en
}

// Settle ends the entry ctx carries once its job ended, unless it was
// handed to the engine as a turn or kept for the next process. A job cut
// short by its context (the bot stopping, or the job's timeout) did not
// handle its update: the entry is kept, to be claimed again.
func (t *Tracker) Settle(ctx context.Context) {
	en := EntryOf(ctx)
	switch {
	case en == nil || en.state.Load() != queued:
	case ctx.Err() != nil:
		t.Keep(en)
	default:
		t.End(en)
	}
}

// HandOff returns the func that ends the entry ctx carries when its turn
// ends (for bots.Turn.Ended), or nil.
func (t *Tracker) HandOff(ctx context.Context) func() {
	en := EntryOf(ctx)
	if t == nil || en == nil {
		return nil
	}
	en.state.Store(handed)
	return func() { t.End(en) }
}

// Resumable reports whether ctx carries an entry: its turn is answered by
// another process if this one does not (for bots.Turn.Resumable).
func Resumable(ctx context.Context) bool {
	return EntryOf(ctx) != nil
}

// Submitted settles the entry ctx carries after the engine's Submit
// returned err: a turn refused because the engine is shutting down is
// left for the next process; one refused otherwise is ended with its job.
func (t *Tracker) Submitted(ctx context.Context, err error) {
	switch en := EntryOf(ctx); {
	case en == nil || err == nil:
	case errors.Is(err, bots.ErrShuttingDown):
		t.Keep(en)
	default:
		en.state.Store(queued)
	}
}
