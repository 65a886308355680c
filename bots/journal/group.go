package journal

import "context"

// A group's records (a Telegram album's photos) are journaled one by one
// and handled together. Three things keep a dead process's group whole
// for the process claiming it:
//
//   - their leases expire at once: recording one renews the group's
//     earlier records with it (align), and Run renews all of a process's
//     records with one expiry, so one sweep claims them all;
//   - a full claim batch holding a grouped record is followed at once by
//     another (Sweep), so a batch's size does not cut a group;
//   - the adapter gathers claimed records for a sweep interval longer
//     than live ones (Claimed, SweepEvery), so a record whose lease
//     expired a moment later (its process died between recording it and
//     aligning the group) still joins its group.

// align renews the leases of group's live records, the one just recorded
// among them, so they all expire at once.
func (t *Tracker) align(ctx context.Context, group string) {
	if group == "" {
		return
	}
	var ids []string
	t.mu.Lock()
	for id, g := range t.live {
		if g == group {
			ids = append(ids, id)
		}
	}
	t.mu.Unlock()
	if len(ids) < 2 {
		return
	}
	if err := t.store.Renew(ctx, ids...); err != nil {
		t.log.WarnContext(ctx, "align the journal leases of a group", "group", group, "err", err)
	}
}

// Join puts en, claimed and handed to Run's handle, in group (the one it
// was recorded in), before it is handed on: it is renewed as one of the
// group, and the sweep claiming it claims another batch at once if its
// batch was full. An empty group or a nil en is ignored.
func (t *Tracker) Join(en *Entry, group string) {
	if t == nil || en == nil || group == "" {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	en.group = group
	for _, id := range en.ids {
		if _, ok := t.live[id]; ok {
			t.live[id] = group
		}
	}
}

// Merge returns one entry holding the records of ens (nil ones skipped),
// which then share one fate: ended, or kept, together. It is claimed if
// any of ens was, open, and nil when every one of ens is nil. ens are not
// to be used after.
func Merge(ens ...*Entry) *Entry {
	var m *Entry
	for _, en := range ens {
		if en == nil {
			continue
		}
		if m == nil {
			m = &Entry{group: en.group}
		}
		m.ids = append(m.ids, en.ids...)
		m.claimed = m.claimed || en.claimed
	}
	return m
}
