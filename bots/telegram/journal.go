package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// Journal records the updates the bot accepted until they are handled, in
// Redis with a lease per entry (cmd adapts memory.Journal): an update is
// recorded before it is acknowledged (the webhook's 200, the next poll's
// offset), ended when its turn ends, and one whose process died is
// claimed, once its lease expired, by any replica to handle again.
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
// claimed every journalSweep, so a dead process's turns are taken over
// within lease + journalSweep.
const (
	journalSweep   = 5 * time.Second
	journalClaim   = 32 // entries claimed at once
	journalTimeout = 5 * time.Second
)

// UseJournal makes the bot record the updates it accepts in j, leased for
// lease, and take over those of processes that died. Call it before Run.
func (b *Bot) UseJournal(j Journal, lease time.Duration) {
	b.journal, b.lease = j, lease
}

// entry is one journaled update on its way through the bot, or the
// updates of a gathered album, which share one fate.
type entry struct {
	ids     []string
	claimed bool         // taken over from a process that died
	state   atomic.Int32 // entryOpen, entryQueued, entryHanded or entryKept
}

// States of an entry.
const (
	entryOpen   = iota // being routed: ended if no job takes it
	entryQueued        // a job handles it: ended when the job ends
	entryHanded        // submitted as a turn: ended when the turn ends
	entryKept          // left for the next process (the engine is shutting down)
)

type entryKey struct{}

// withEntry returns ctx carrying the entry of the update it handles (nil
// hides any entry ctx carried).
func withEntry(ctx context.Context, en *entry) context.Context {
	return context.WithValue(ctx, entryKey{}, en)
}

// entryOf returns the entry ctx carries, or nil.
func entryOf(ctx context.Context) *entry {
	en, _ := ctx.Value(entryKey{}).(*entry)
	return en
}

// record records u before it is acknowledged and returns its entry; nil
// when the bot keeps no journal, when the journal fails (the update is
// then handled unrecorded), or when the update was recorded already (ok
// false: another process holds it, or it waits to be claimed). An album
// part's lease is aligned with its album's (see alignAlbum).
func (b *Bot) record(ctx context.Context, u rawUpdate) (en *entry, ok bool) {
	if b.journal == nil {
		return nil, true
	}
	raw, err := json.Marshal(u)
	if err != nil {
		return nil, true
	}
	id := strconv.Itoa(u.UpdateID)
	rctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	fresh, err := b.journal.Record(rctx, id, raw)
	if err != nil {
		b.log.WarnContext(ctx, "journal an update; handled without a record", "err", err)
		return nil, true
	}
	if !fresh {
		return nil, false
	}
	en = b.track(id, u, false)
	b.alignAlbum(rctx, u)
	return en, true
}

// track marks update u, journaled as id, as handled by this process,
// renewed until it ends; claimed marks one taken over from a process that
// died.
func (b *Bot) track(id string, u rawUpdate, claimed bool) *entry {
	b.jmu.Lock()
	defer b.jmu.Unlock()
	if b.live == nil {
		b.live = make(map[string]string)
	}
	b.live[id] = groupOf(u)
	return &entry{ids: []string{id}, claimed: claimed}
}

// untrack stops renewing en's records.
func (b *Bot) untrack(en *entry) {
	b.jmu.Lock()
	defer b.jmu.Unlock()
	for _, id := range en.ids {
		delete(b.live, id)
	}
}

// end removes en's records: its updates were handled.
func (b *Bot) end(en *entry) {
	b.untrack(en)
	ctx, cancel := context.WithTimeout(context.Background(), journalTimeout)
	defer cancel()
	if err := b.journal.Done(ctx, en.ids...); err != nil {
		b.log.WarnContext(ctx, "end a journaled update", "err", err)
	}
}

// dispatch routes u, carrying en, and ends en if no job took it (an
// update the bot ignores).
func (b *Bot) dispatch(ctx context.Context, u rawUpdate, en *entry) {
	b.onUpdate(withEntry(ctx, en), u)
	if en != nil && en.state.Load() == entryOpen {
		b.end(en)
	}
}

// queued marks the entry ctx carries as taken by a job.
func (b *Bot) queued(ctx context.Context) {
	if en := entryOf(ctx); en != nil {
		en.state.CompareAndSwap(entryOpen, entryQueued)
	}
}

// settle ends the entry ctx carries once its job ended, unless it was
// handed to the engine as a turn or kept for the next process. A job cut
// short by its context (the bot stopping, or the job's timeout) did not
// handle its update: the entry is kept, to be claimed again.
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
func (b *Bot) keep(ctx context.Context) { b.keepEntry(entryOf(ctx)) }

// keepEntry leaves en, if not nil, for the next process.
func (b *Bot) keepEntry(en *entry) {
	if en != nil {
		en.state.Store(entryKept)
		b.untrack(en)
	}
}

// keepJournal renews this process's entries and takes over those of dead
// processes until ctx ends.
func (b *Bot) keepJournal(ctx context.Context) {
	renew := b.cfg.Clock.After(b.lease / 3)
	sweep := b.cfg.Clock.After(0)
	every := b.sweepEvery()
	for {
		select {
		case <-ctx.Done():
			return
		case <-renew:
			b.renew(ctx)
			renew = b.cfg.Clock.After(b.lease / 3)
		case <-sweep:
			b.claim(ctx)
			sweep = b.cfg.Clock.After(every)
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

// sweepEvery is how often expired entries are claimed.
func (b *Bot) sweepEvery() time.Duration { return min(journalSweep, b.lease/3) }

// claim handles again, in order, the updates of processes that died. A
// full batch holding an album part is followed at once by another, so
// that an album cut off by the batch's size is claimed whole: its parts'
// leases expire together (see alignAlbum).
func (b *Bot) claim(ctx context.Context) {
	more := true
	for more && ctx.Err() == nil {
		more = b.claimBatch(ctx)
	}
}

// claimBatch claims and dispatches one batch of expired entries, and
// reports whether it was full and held an album part.
func (b *Bot) claimBatch(ctx context.Context) (more bool) {
	rctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	ids, data, err := b.journal.Claim(rctx, journalClaim)
	if err != nil {
		if ctx.Err() == nil {
			b.log.WarnContext(ctx, "claim journaled updates", "err", err)
		}
		return false
	}
	parts := false
	for i, id := range ids {
		var u rawUpdate
		if err := json.Unmarshal(data[i], &u); err != nil {
			b.log.WarnContext(ctx, "drop an unreadable journaled update", "id", id, "err", err)
			b.end(&entry{ids: []string{id}})
			continue
		}
		parts = parts || groupOf(u) != ""
		b.log.InfoContext(ctx, "taking over an update of a process that stopped", "update_id", u.UpdateID)
		b.dispatch(ctx, u, b.track(id, u, true))
	}
	return parts && len(ids) >= journalClaim
}
