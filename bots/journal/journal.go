// Package journal keeps the updates a platform adapter accepted until they
// are handled, so that the turns of a process that died (killed, out of
// memory, stopped past its drain) are handled by another one: an update
// is recorded before the platform is told it was taken, each record has a
// lease its process renews, the record ends when the update's turn ends,
// and records whose lease expired are claimed, in the order they were
// made, by any process to handle again.
//
// It knows no platform and no storage: the adapters say what a record
// holds and how to handle one again, and cmd supplies the Store
// (memory.Journal in Redis). Records may form groups (a Telegram album's
// photos) whose leases expire together, so that a group is claimed whole.
package journal

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// Store keeps the records, with a lease per record (cmd adapts
// memory.Journal). Its methods must be safe for concurrent use.
type Store interface {
	// Record records an entry and reports whether it is new.
	Record(ctx context.Context, id string, data []byte) (bool, error)
	// Renew extends the leases of ids, all to the same expiry.
	Renew(ctx context.Context, ids ...string) error
	// Done removes the records of ids.
	Done(ctx context.Context, ids ...string) error
	// Claim leases to the caller up to max entries whose lease expired,
	// in the order they were recorded.
	Claim(ctx context.Context, max int) (ids []string, data [][]byte, err error)
}

// timeout bounds one round trip to the Store.
const timeout = 5 * time.Second

// Tracker tracks the records of the updates one process handles: it
// records them, ends them or keeps them for the next process, and (Run)
// renews their leases and takes over those of dead processes. A nil
// *Tracker keeps no journal: Record records nothing and the other methods
// do nothing. It is safe for concurrent use.
type Tracker struct {
	store Store
	lease time.Duration
	clock bots.Clock
	log   *slog.Logger

	mu sync.Mutex
	// live maps the ids this process handles, renewed until they end, to
	// their group ("" for none).
	live map[string]string
}

// New returns a Tracker keeping its records in s, leased for lease; clock
// times the renewals and sweeps of Run, and log (nil: slog.Default())
// gets the Store's failures.
func New(s Store, lease time.Duration, clock bots.Clock, log *slog.Logger) *Tracker {
	if log == nil {
		log = slog.Default()
	}
	return &Tracker{store: s, lease: lease, clock: clock, log: log, live: make(map[string]string)}
}

// Record records data under id before the update is acknowledged and
// returns its entry; nil when t keeps no journal or the Store fails (the
// update is then handled unrecorded, logged), or when id was recorded
// already (ok false: another process holds it, or it waits to be
// claimed). group, unless empty, names the records whose leases expire
// together: recording one renews the group's others with it, so that one
// sweep claims them all.
func (t *Tracker) Record(ctx context.Context, id, group string, data []byte) (en *Entry, ok bool) {
	if t == nil {
		return nil, true
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fresh, err := t.store.Record(rctx, id, data)
	if err != nil {
		t.log.WarnContext(ctx, "journal an update; handled without a record", "id", id, "err", err)
		return nil, true
	}
	if !fresh {
		return nil, false
	}
	en = t.track(id, group, false)
	t.align(rctx, group)
	return en, true
}

// track marks id, of group, as handled by this process, renewed until it
// ends; claimed marks one taken over from a process that died.
func (t *Tracker) track(id, group string, claimed bool) *Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.live[id] = group
	return &Entry{ids: []string{id}, group: group, claimed: claimed}
}

// untrack stops renewing en's records.
func (t *Tracker) untrack(en *Entry) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range en.ids {
		delete(t.live, id)
	}
}

// End removes en's records: its updates were handled, or never will be.
// A nil en is ignored.
func (t *Tracker) End(en *Entry) {
	if t == nil || en == nil {
		return
	}
	t.untrack(en)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := t.store.Done(ctx, en.ids...); err != nil {
		t.log.WarnContext(ctx, "end a journaled update", "id", en.ID(), "err", err)
	}
}

// Keep leaves en's records for the next process (or for this one to
// claim again once their lease expires): they are renewed no more. A nil
// en is ignored.
func (t *Tracker) Keep(en *Entry) {
	if t == nil || en == nil {
		return
	}
	en.state.Store(kept)
	t.untrack(en)
}
