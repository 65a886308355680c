package memory

import (
	"log/slog"
	"slices"
	"testing"
	"time"
)

func TestJournalHandsEntriesOfADeadProcessToAnother(t *testing.T) {
	rdb := redisForTest(t)
	clock := &fakeClock{now: time.UnixMilli(1_700_000_000_000)}
	s := NewStore(rdb, Config{Prefix: testPrefix(t, rdb), Now: clock.Now}, slog.New(slog.DiscardHandler))
	const lease = 30 * time.Second
	j, err := s.Journal("tg:1000", lease)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	ids := func(es []JournalEntry) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID+"@"+e.Chat+"="+string(e.Data))
		}
		return out
	}
	// A process records three turns, in order, then ends one of them.
	for i, e := range []JournalEntry{{ID: "5", Chat: "tg:1", Data: []byte("a")}, {ID: "6", Chat: "tg:2", Data: []byte("b")}, {ID: "7", Chat: "tg:1", Data: []byte("c")}} {
		clock.Advance(time.Duration(i) * time.Millisecond)
		if fresh, err := j.Record(ctx, e); err != nil || !fresh {
			t.Fatalf("record %s: new %v, %v", e.ID, fresh, err)
		}
	}
	if fresh, err := j.Record(ctx, JournalEntry{ID: "5", Data: []byte("again")}); err != nil || fresh {
		t.Fatalf("record 5 again: new %v, %v; want it left as it was", fresh, err)
	}
	if err := j.Done(ctx, "6"); err != nil {
		t.Fatal(err)
	}
	if got, err := j.Claim(ctx, 10); err != nil || len(got) != 0 {
		t.Fatalf("claimed %q (%v) while the leases last, want nothing", ids(got), err)
	}
	clock.Advance(lease / 2)
	if err := j.Renew(ctx, "5", "6"); err != nil { // 6 is done: not recorded again
		t.Fatal(err)
	}
	clock.Advance(lease/2 + time.Millisecond) // 7's lease expired: its process died
	got, err := j.Claim(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"7@tg:1=c"}; !slices.Equal(ids(got), want) {
		t.Errorf("claimed %q, want %q", ids(got), want)
	}
	if again, _ := j.Claim(ctx, 10); len(again) != 0 {
		t.Errorf("claimed %q again while its new lease lasts", ids(again))
	}
	clock.Advance(lease + time.Millisecond) // now every process died
	got, err = j.Claim(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"5@tg:1=a", "7@tg:1=c"}; !slices.Equal(ids(got), want) {
		t.Errorf("claimed %q, want %q in the order recorded", ids(got), want)
	}
	if err := j.Done(ctx, "5", "7"); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * lease)
	if got, _ := j.Claim(ctx, 10); len(got) != 0 {
		t.Errorf("claimed %q after every entry was done", ids(got))
	}
}

func TestJournalGivesUpAnEntryThatKillsEveryProcess(t *testing.T) {
	rdb := redisForTest(t)
	clock := &fakeClock{now: time.UnixMilli(1_700_000_000_000)}
	s := NewStore(rdb, Config{Prefix: testPrefix(t, rdb), Now: clock.Now}, slog.New(slog.DiscardHandler))
	j, err := s.Journal("tg:1000", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := j.Record(ctx, JournalEntry{ID: "poison", Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	for i := range MaxJournalClaims + 1 {
		clock.Advance(time.Second + time.Millisecond) // the process handling it died
		got, err := j.Claim(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if want := i < MaxJournalClaims; (len(got) == 1) != want {
			t.Fatalf("claim %d gave %d entries, want it claimed: %v", i+1, len(got), want)
		}
	}
	if n, _ := rdb.Exists(ctx, j.lease, j.data, j.claims).Result(); n != 0 {
		t.Errorf("%d journal keys left after giving the entry up", n)
	}
}
