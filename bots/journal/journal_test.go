package journal

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
)

// fakeStore keeps records in memory; Claim hands out, up to its max, what
// the test put in claims.
type fakeStore struct {
	mu      sync.Mutex
	entries map[string][]byte
	done    []string
	renewed [][]string
	claims  [][2]string // id, data
	batches int         // Claim calls
	failing error       // returned by Record when set
}

var _ Store = (*fakeStore)(nil)

func newFakeStore() *fakeStore { return &fakeStore{entries: map[string][]byte{}} }

func (s *fakeStore) Record(_ context.Context, id string, data []byte) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failing != nil {
		return false, s.failing
	}
	if _, ok := s.entries[id]; ok {
		return false, nil
	}
	s.entries[id] = data
	return true, nil
}

func (s *fakeStore) Renew(_ context.Context, ids ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.renewed = append(s.renewed, slices.Sorted(slices.Values(ids)))
	return nil
}

func (s *fakeStore) Done(_ context.Context, ids ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.entries, id)
		s.done = append(s.done, id)
	}
	return nil
}

func (s *fakeStore) Claim(_ context.Context, max int) ([]string, [][]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches++
	var ids []string
	var data [][]byte
	for len(s.claims) > 0 && len(ids) < max {
		c := s.claims[0]
		s.claims = s.claims[1:]
		ids, data = append(ids, c[0]), append(data, []byte(c[1]))
	}
	return ids, data, nil
}

// has reports whether id is recorded.
func (s *fakeStore) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.entries[id]
	return ok
}

// lastRenewed returns the ids of the last Renew.
func (s *fakeStore) lastRenewed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.renewed) == 0 {
		return nil
	}
	return s.renewed[len(s.renewed)-1]
}

// renewals returns how many times Renew was called.
func (s *fakeStore) renewals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.renewed)
}

func newTracker(s Store) *Tracker {
	return New(s, 30*time.Second, botstest.NewFakeClock(time.Unix(0, 0)), slog.New(slog.DiscardHandler))
}

func TestEntryLifecycle(t *testing.T) {
	tests := []struct {
		name string
		// job does to the entry what the adapter's job does.
		job      func(tr *Tracker, ctx context.Context) (ended func())
		cancel   bool // the job's context ends first
		wantKept bool
	}{
		{name: "job without a turn", job: func(*Tracker, context.Context) func() { return nil }},
		{name: "turn ends", job: func(tr *Tracker, ctx context.Context) func() {
			end := tr.HandOff(ctx)
			tr.Submitted(ctx, nil)
			return end
		}},
		{name: "turn refused", job: func(tr *Tracker, ctx context.Context) func() {
			tr.HandOff(ctx)
			tr.Submitted(ctx, errors.New("no surface"))
			return nil
		}},
		{name: "refused at shutdown", wantKept: true, job: func(tr *Tracker, ctx context.Context) func() {
			tr.HandOff(ctx)
			tr.Submitted(ctx, bots.ErrShuttingDown)
			return nil
		}},
		{name: "job cut short", cancel: true, wantKept: true, job: func(*Tracker, context.Context) func() { return nil }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newFakeStore()
			tr := newTracker(s)
			en, ok := tr.Record(t.Context(), "7", "", []byte("u"))
			if en == nil || !ok || !s.has("7") {
				t.Fatalf("Record: %v, %v; want a new entry", en, ok)
			}
			ctx, cancel := context.WithCancel(WithEntry(t.Context(), en))
			if !Resumable(ctx) {
				t.Error("a journaled job's turn is not resumable")
			}
			EntryOf(ctx).Queue()
			tr.EndIfOpen(en) // taken by the job: not ended by routing
			ended := tc.job(tr, ctx)
			if tc.cancel {
				cancel()
			}
			tr.Settle(ctx)
			cancel()
			if ended != nil {
				if !s.has("7") {
					t.Fatal("ended before its turn")
				}
				ended()
			}
			if s.has("7") != tc.wantKept {
				t.Errorf("recorded after the job: %v, want %v", s.has("7"), tc.wantKept)
			}
			tr.Renew(t.Context())
			if got := s.lastRenewed(); len(got) != 0 {
				t.Errorf("renewed %q after the entry ended or was kept", got)
			}
		})
	}
}

func TestAnEntryNoJobTakesEndsWhenRouted(t *testing.T) {
	s := newFakeStore()
	tr := newTracker(s)
	en, _ := tr.Record(t.Context(), "8", "", nil)
	tr.EndIfOpen(en)
	if s.has("8") {
		t.Error("an update no job took kept its record")
	}
}

func TestWithEntryNilHidesTheOuterEntry(t *testing.T) {
	tr := newTracker(newFakeStore())
	en, _ := tr.Record(t.Context(), "9", "", nil)
	ctx := WithEntry(WithEntry(t.Context(), en), nil)
	if EntryOf(ctx) != nil || Resumable(ctx) {
		t.Error("a job given no entry carries its caller's")
	}
}

func TestRecord(t *testing.T) {
	s := newFakeStore()
	tr := newTracker(s)
	ctx := t.Context()
	if en, ok := tr.Record(ctx, "1", "", nil); en == nil || !ok {
		t.Fatal("first Record")
	}
	if en, ok := tr.Record(ctx, "1", "", nil); en != nil || ok {
		t.Errorf("Record of an id recorded already = %v, %v; want nil, false", en, ok)
	}
	s.failing = errors.New("redis down")
	if en, ok := tr.Record(ctx, "2", "", nil); en != nil || !ok {
		t.Errorf("Record with the store failing = %v, %v; want nil, true (handled unrecorded)", en, ok)
	}
	tr.Renew(ctx)
	if got := s.lastRenewed(); !slices.Equal(got, []string{"1"}) {
		t.Errorf("renewed %q, want the live entry", got)
	}
	var none *Tracker
	if en, ok := none.Record(ctx, "3", "", nil); en != nil || !ok {
		t.Errorf("nil Tracker Record = %v, %v; want nil, true", en, ok)
	}
	none.Renew(ctx)
	none.Settle(ctx)
	none.End(nil)
	none.Keep(nil)
	none.Join(nil, "g")
	if none.HandOff(ctx) != nil {
		t.Error("nil Tracker HandOff returned a func")
	}
}

func TestRecordingAGroupAlignsItsLeases(t *testing.T) {
	s := newFakeStore()
	tr := newTracker(s)
	ctx := t.Context()
	tr.Record(ctx, "1", "album", nil)
	if n := s.renewals(); n != 0 {
		t.Errorf("%d renewals for a group's first record, want none", n)
	}
	tr.Record(ctx, "2", "other", nil)
	tr.Record(ctx, "3", "", nil)
	tr.Record(ctx, "4", "album", nil)
	if got := s.lastRenewed(); !slices.Equal(got, []string{"1", "4"}) {
		t.Errorf("recording a group's second record renewed %q, want the group's", got)
	}
	tr.Record(ctx, "5", "album", nil)
	if got := s.lastRenewed(); !slices.Equal(got, []string{"1", "4", "5"}) {
		t.Errorf("recording a group's third record renewed %q, want the group's", got)
	}
}

// mergedPair returns a tracker and its store holding records 1 and 2 of
// group g, merged into one entry.
func mergedPair(t *testing.T) (*fakeStore, *Tracker, *Entry) {
	t.Helper()
	s := newFakeStore()
	tr := newTracker(s)
	a, _ := tr.Record(t.Context(), "1", "g", nil)
	b, _ := tr.Record(t.Context(), "2", "g", nil)
	return s, tr, Merge(a, nil, b)
}

func TestMerge(t *testing.T) {
	if Merge(nil, nil) != nil {
		t.Error("Merge of no entries is not nil")
	}
	s, tr, m := mergedPair(t)
	if m.ID() != "1,2" || m.Claimed() {
		t.Errorf("merged entry %q, claimed %v; want 1,2, not claimed", m.ID(), m.Claimed())
	}
	ctx := WithEntry(t.Context(), m)
	EntryOf(ctx).Queue()
	ended := tr.HandOff(ctx)
	tr.Settle(ctx)
	if !s.has("1") || !s.has("2") {
		t.Fatal("a merged entry ended before its turn")
	}
	ended()
	if s.has("1") || s.has("2") {
		t.Error("a merged entry's turn ended some of its records only")
	}
	tr.Renew(ctx)
	if got := s.lastRenewed(); len(got) != 0 {
		t.Errorf("renewed %q after the merged entry ended", got)
	}
}

func TestKeepingMergedEntriesStopsRenewingThem(t *testing.T) {
	s, tr, m := mergedPair(t)
	tr.Keep(m)
	tr.Renew(t.Context())
	if got := s.lastRenewed(); len(got) != 0 || !s.has("1") || !s.has("2") {
		t.Errorf("renewed %q, records %v %v; want none renewed, both kept", got, s.has("1"), s.has("2"))
	}
}

func TestRunSweepsAtOnceAndRenews(t *testing.T) {
	s := newFakeStore()
	s.claims = [][2]string{{"41", "a"}, {"42", "b"}}
	clock := botstest.NewFakeClock(time.Unix(0, 0))
	tr := New(s, 30*time.Second, clock, slog.New(slog.DiscardHandler))
	handled := make(chan *Entry, 2)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tr.Run(ctx, func(_ context.Context, en *Entry, data []byte) {
			if want := map[string]string{"41": "a", "42": "b"}[en.ID()]; string(data) != want {
				t.Errorf("entry %s handed with record %q, want %q", en.ID(), data, want)
			}
			handled <- en
		})
	}()
	for _, want := range []string{"41", "42"} {
		if en := <-handled; en.ID() != want || !en.Claimed() {
			t.Errorf("handled %q (claimed %v), want %q claimed, in order", en.ID(), en.Claimed(), want)
		}
	}
	clock.BlockUntil(2) // the renewal and the next sweep
	if got := tr.SweepEvery(); got != SweepInterval {
		t.Errorf("SweepEvery = %v, want %v", got, SweepInterval)
	}
	clock.Advance(10 * time.Second)
	clock.BlockUntil(2)
	cancel()
	<-done
	if got := s.lastRenewed(); !slices.Equal(got, []string{"41", "42"}) {
		t.Errorf("renewed %q, want the claimed entries", got)
	}
}

func TestSweep(t *testing.T) {
	tests := []struct {
		name        string
		ungrouped   int // claimed first
		grouped     int // then, each put in group "g"
		wantBatches int
	}{
		{name: "a batch not full", ungrouped: 3, grouped: 2, wantBatches: 1},
		{name: "a full batch without groups", ungrouped: ClaimBatch + 2, wantBatches: 1},
		{name: "a full batch ending in a group", ungrouped: ClaimBatch - 1, grouped: 3, wantBatches: 2},
		{name: "full batches of a group", grouped: 2 * ClaimBatch, wantBatches: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newFakeStore()
			for i := range tc.ungrouped + tc.grouped {
				data := ""
				if i >= tc.ungrouped {
					data = "g"
				}
				s.claims = append(s.claims, [2]string{strconv.Itoa(i), data})
			}
			tr := newTracker(s)
			var got []string
			tr.Sweep(t.Context(), func(_ context.Context, en *Entry, data []byte) {
				tr.Join(en, string(data))
				got = append(got, en.ID())
			})
			if s.batches != tc.wantBatches {
				t.Errorf("%d claim batches, want %d", s.batches, tc.wantBatches)
			}
			if want := min(tc.ungrouped+tc.grouped, tc.wantBatches*ClaimBatch); len(got) != want {
				t.Errorf("handled %d entries, want %d", len(got), want)
			}
		})
	}
}

func TestAJoinedEntryIsRenewedWithItsGroup(t *testing.T) {
	s := newFakeStore()
	s.claims = [][2]string{{"1", "g"}}
	tr := newTracker(s)
	var claimed *Entry
	tr.Sweep(t.Context(), func(_ context.Context, en *Entry, data []byte) {
		tr.Join(en, string(data))
		claimed = en
	})
	tr.Record(t.Context(), "2", "g", nil) // a later record of its group
	if got := s.lastRenewed(); !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("recording into a claimed group renewed %q, want both", got)
	}
	if !Merge(nil, claimed).Claimed() {
		t.Error("a merge of a claimed entry is not claimed")
	}
}
