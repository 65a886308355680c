package discord

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// Journal records the interactions and messages the bot accepted until
// they are handled, in Redis with a lease per entry (cmd adapts
// memory.Journal): an interaction is recorded before it is acknowledged
// (deferred, or answered in the HTTP endpoint's response), a gateway
// message before it is queued; an entry ends when its turn ends, and one
// whose process died is claimed, once its lease expired, by any replica
// to handle again. Its methods must be safe for concurrent use.
type Journal interface {
	// Record records an entry and reports whether it is new.
	Record(ctx context.Context, id string, data []byte) (bool, error)
	Renew(ctx context.Context, ids ...string) error
	Done(ctx context.Context, ids ...string) error
	// Claim leases to the caller up to max entries whose lease expired,
	// in the order they were recorded.
	Claim(ctx context.Context, max int) (ids []string, data [][]byte, err error)
}

// Journal timing: entries are renewed every lease/3 and expired ones
// claimed every min(journalSweep, lease/3), so a dead process's turns are
// taken over within lease + journalSweep.
const (
	journalSweep   = 5 * time.Second
	journalClaim   = 32 // entries claimed at once
	journalTimeout = 5 * time.Second
)

// UseJournal makes the bot record the interactions and messages it
// accepts in j, leased for lease, and take over those of processes that
// died. Call it before Run.
func (b *Bot) UseJournal(j Journal, lease time.Duration) {
	b.journal, b.lease = j, lease
}

// entry is one journaled interaction or message on its way through the
// bot.
type entry struct {
	id    string
	state atomic.Int32 // entryOpen, entryQueued, entryHanded or entryKept
}

// States of an entry.
const (
	entryOpen   = iota // recorded: ended if no job takes it
	entryQueued        // a job handles it: ended when the job ends
	entryHanded        // submitted as a turn: ended when the turn ends
	entryKept          // left for the next process (shutting down)
)

type entryKey struct{}

// withEntry returns ctx carrying the entry its job handles.
func withEntry(ctx context.Context, en *entry) context.Context {
	if en == nil {
		return ctx
	}
	return context.WithValue(ctx, entryKey{}, en)
}

// entryOf returns the entry ctx carries, or nil.
func entryOf(ctx context.Context) *entry {
	en, _ := ctx.Value(entryKey{}).(*entry)
	return en
}

// record records what rec keeps under id before the update is
// acknowledged and returns its entry; nil when the bot keeps no journal
// or the journal fails (the update is then handled unrecorded), or when
// id was recorded already (ok false: another process holds it, or it
// waits to be claimed).
func (b *Bot) record(ctx context.Context, id string, rec journaled) (en *entry, ok bool) {
	if b.journal == nil {
		return nil, true
	}
	raw, err := rec.encode()
	if err != nil {
		b.log.WarnContext(ctx, "encode an update for the journal; handled without a record", "id", id, "err", err)
		return nil, true
	}
	rctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	fresh, err := b.journal.Record(rctx, id, raw)
	if err != nil {
		b.log.WarnContext(ctx, "journal an update; handled without a record", "id", id, "err", err)
		return nil, true
	}
	if !fresh {
		return nil, false
	}
	return b.track(id), true
}

// track marks id as handled by this process, renewed until it ends.
func (b *Bot) track(id string) *entry {
	b.jmu.Lock()
	defer b.jmu.Unlock()
	if b.live == nil {
		b.live = make(map[string]bool)
	}
	b.live[id] = true
	return &entry{id: id}
}

// end removes en's record: its update was handled (or never will be).
// A nil en is ignored.
func (b *Bot) end(en *entry) {
	if en == nil {
		return
	}
	b.jmu.Lock()
	delete(b.live, en.id)
	b.jmu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), journalTimeout)
	defer cancel()
	if err := b.journal.Done(ctx, en.id); err != nil {
		b.log.WarnContext(ctx, "end a journaled update", "id", en.id, "err", err)
	}
}

// enqueueEntry queues job for key, carrying en (nil: unjournaled), and
// reports whether it was taken. en ends when the job ends, unless the job
// handed it to the engine as a turn or kept it; a job cut short by its
// context keeps it, and so does a queue that cannot take the job: it is
// claimed again once its lease expires.
func (b *Bot) enqueueEntry(key string, en *entry, job func(ctx context.Context)) bool {
	if en != nil {
		en.state.CompareAndSwap(entryOpen, entryQueued)
	}
	ok := b.enqueue(key, func(ctx context.Context) {
		ctx = withEntry(ctx, en)
		defer b.settle(ctx)
		job(ctx)
	})
	if !ok {
		b.keep(withEntry(context.Background(), en))
	}
	return ok
}

// settle ends the entry ctx carries once its job ended, unless it was
// handed to the engine as a turn or kept for the next process. A job cut
// short by its context (the bot stopping) did not handle its update: the
// entry is kept, to be claimed again.
func (b *Bot) settle(ctx context.Context) {
	en := entryOf(ctx)
	switch {
	case en == nil || en.state.Load() != entryQueued:
	case ctx.Err() != nil:
		b.keep(ctx)
	default:
		b.end(en)
	}
}

// handOff returns the func that ends the entry ctx carries when its turn
// ends (for bots.Turn.Ended), or nil.
func (b *Bot) handOff(ctx context.Context) func() {
	en := entryOf(ctx)
	if en == nil {
		return nil
	}
	en.state.Store(entryHanded)
	return func() { b.end(en) }
}

// resumable reports whether ctx carries a journal entry: its turn is
// answered by another process if this one does not.
func resumable(ctx context.Context) bool {
	return entryOf(ctx) != nil
}

// submitted settles the entry ctx carries after Submit returned err: a
// turn refused because the engine is shutting down is left for the next
// process; one refused otherwise is ended with its job.
func (b *Bot) submitted(ctx context.Context, err error) {
	switch en := entryOf(ctx); {
	case en == nil || err == nil:
	case errors.Is(err, bots.ErrShuttingDown):
		b.keep(ctx)
	default:
		en.state.Store(entryQueued)
	}
}

// keep leaves the entry ctx carries for the next process (or for this
// one to claim again once its lease expires).
func (b *Bot) keep(ctx context.Context) {
	if en := entryOf(ctx); en != nil {
		en.state.Store(entryKept)
		b.jmu.Lock()
		delete(b.live, en.id)
		b.jmu.Unlock()
	}
}

// Drain prepares for a shutdown: the journal leases of the updates taken
// so far, renewed no more once Run returns, are renewed a last time, so
// they outlast a drain shorter than the lease and are not taken over
// while this process finishes them. It is safe to call at any time, more
// than once.
func (b *Bot) Drain() {
	if b.journal != nil {
		b.renew(context.Background())
	}
}

// keepJournal renews this process's entries and takes over those of dead
// processes until ctx ends.
func (b *Bot) keepJournal(ctx context.Context) {
	renew := b.cfg.Clock.After(b.lease / 3)
	sweep := b.cfg.Clock.After(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-renew:
			b.renew(ctx)
			renew = b.cfg.Clock.After(b.lease / 3)
		case <-sweep:
			b.claim(ctx)
			sweep = b.cfg.Clock.After(min(journalSweep, b.lease/3))
		}
	}
}

// renew extends the leases of this process's entries.
func (b *Bot) renew(ctx context.Context) {
	b.jmu.Lock()
	ids := make([]string, 0, len(b.live))
	for id := range b.live {
		ids = append(ids, id)
	}
	b.jmu.Unlock()
	rctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	if err := b.journal.Renew(rctx, ids...); err != nil && ctx.Err() == nil {
		b.log.WarnContext(ctx, "renew journaled updates", "err", err)
	}
}

// claim handles again, in order, the updates of processes that died.
func (b *Bot) claim(ctx context.Context) {
	rctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	ids, data, err := b.journal.Claim(rctx, journalClaim)
	if err != nil {
		if ctx.Err() == nil {
			b.log.WarnContext(ctx, "claim journaled updates", "err", err)
		}
		return
	}
	for i, id := range ids {
		b.takeOver(ctx, b.track(id), data[i])
	}
}
