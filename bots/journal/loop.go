package journal

import (
	"context"
	"time"
)

// Sweep timing: Run renews its entries every lease/3 and claims expired
// ones every min(SweepInterval, lease/3), so a dead process's turns are
// taken over within lease + SweepInterval. A sweep claims ClaimBatch
// entries at a time.
const (
	SweepInterval = 5 * time.Second
	ClaimBatch    = 32
)

// Handler handles again en, claimed from a process that died, whose
// record is data. It must not block: it queues the update's work, or
// ends en. An entry of a group is put in it first (Join).
type Handler func(ctx context.Context, en *Entry, data []byte)

// Run renews the leases of this process's entries and takes over, in the
// order they were recorded, those of dead processes, handing each to
// handle, until ctx ends. It sweeps at once, then every SweepEvery.
func (t *Tracker) Run(ctx context.Context, handle Handler) {
	renew := t.clock.After(t.lease / 3)
	sweep := t.clock.After(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-renew:
			t.Renew(ctx)
			renew = t.clock.After(t.lease / 3)
		case <-sweep:
			t.Sweep(ctx, handle)
			sweep = t.clock.After(t.SweepEvery())
		}
	}
}

// SweepEvery is how often Run claims expired entries.
func (t *Tracker) SweepEvery() time.Duration { return min(SweepInterval, t.lease/3) }

// Renew extends the leases of this process's entries, all to one expiry.
// Adapters call it a last time when they drain, so the entries outlast a
// drain shorter than the lease once Run stopped renewing them.
func (t *Tracker) Renew(ctx context.Context) {
	if t == nil {
		return
	}
	t.mu.Lock()
	ids := make([]string, 0, len(t.live))
	for id := range t.live {
		ids = append(ids, id)
	}
	t.mu.Unlock()
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := t.store.Renew(rctx, ids...); err != nil && ctx.Err() == nil {
		t.log.WarnContext(ctx, "renew journaled updates", "err", err)
	}
}

// Sweep claims once the entries of dead processes and hands them to
// handle, in the order they were recorded. A full batch holding a grouped
// entry is followed at once by another, so that a group cut off by the
// batch's size is claimed whole: its leases expire together.
func (t *Tracker) Sweep(ctx context.Context, handle Handler) {
	more := true
	for more && ctx.Err() == nil {
		more = t.claimBatch(ctx, handle)
	}
}

// claimBatch claims and hands over one batch of expired entries, and
// reports whether it was full and held a grouped entry.
func (t *Tracker) claimBatch(ctx context.Context, handle Handler) (more bool) {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ids, data, err := t.store.Claim(rctx, ClaimBatch)
	if err != nil {
		if ctx.Err() == nil {
			t.log.WarnContext(ctx, "claim journaled updates", "err", err)
		}
		return false
	}
	grouped := false
	for i, id := range ids {
		en := t.track(id, "", true)
		handle(ctx, en, data[i])
		grouped = grouped || en.group != ""
	}
	return grouped && len(ids) >= ClaimBatch
}
