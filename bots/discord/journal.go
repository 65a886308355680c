package discord

import (
	"context"
	"time"

	"github.com/qwenbot/qwenbot/bots/journal"
)

// Journal records the interactions and messages the bot accepted until
// they are handled, in Redis with a lease per entry (cmd adapts
// memory.Journal): an interaction is recorded before it is acknowledged
// (deferred, or answered in the HTTP endpoint's response), a gateway
// message before it is queued; an entry ends when its turn ends, and one
// whose process died is claimed, once its lease expired, by any replica
// to handle again. The tracking is bots/journal's; what the bot records
// of an update is a journaled. Its methods must be safe for concurrent
// use.
type Journal = journal.Store

// UseJournal makes the bot record the interactions and messages it
// accepts in j, leased for lease, and take over those of processes that
// died. Call it before Run.
func (b *Bot) UseJournal(j Journal, lease time.Duration) {
	b.journal = journal.New(j, lease, b.cfg.Clock, b.log)
}

// record records what rec keeps under id before the update is
// acknowledged and returns its entry; nil when the bot keeps no journal
// or the journal fails (the update is then handled unrecorded), or when
// id was recorded already (ok false: another process holds it, or it
// waits to be claimed).
func (b *Bot) record(ctx context.Context, id string, rec journaled) (en *journal.Entry, ok bool) {
	if b.journal == nil {
		return nil, true
	}
	raw, err := rec.encode()
	if err != nil {
		b.log.WarnContext(ctx, "encode an update for the journal; handled without a record", "id", id, "err", err)
		return nil, true
	}
	return b.journal.Record(ctx, id, "", raw)
}

// enqueueEntry queues job for key, carrying en (nil: unjournaled), and
// reports whether it was taken. en ends when the job ends, unless the job
// handed it to the engine as a turn or kept it; a job cut short by its
// context keeps it, and so does a queue that cannot take the job: it is
// claimed again once its lease expires.
func (b *Bot) enqueueEntry(key string, en *journal.Entry, job func(ctx context.Context)) bool {
	en.Queue()
	ok := b.enqueue(key, func(ctx context.Context) {
		ctx = journal.WithEntry(ctx, en)
		defer b.journal.Settle(ctx)
		job(ctx)
	})
	if !ok {
		b.journal.Keep(en)
	}
	return ok
}

// Drain prepares for a shutdown: the journal leases of the updates taken
// so far, renewed no more once Run returns, are renewed a last time, so
// they outlast a drain shorter than the lease and are not taken over
// while this process finishes them. It is safe to call at any time, more
// than once.
func (b *Bot) Drain() {
	b.journal.Renew(context.Background())
}

// startJournal renews this process's journal entries and takes over
// those of dead processes, when the bot keeps a journal, until ctx ends
// or the returned func is called; that func waits for it to stop.
func (b *Bot) startJournal(ctx context.Context) func() {
	if b.journal == nil {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.journal.Run(ctx, b.takeOver)
	}()
	return func() {
		cancel()
		<-done
	}
}
