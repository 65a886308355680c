package telegram

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/journal"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

// redisJournal is memory.Journal on the test Redis as the Bot consumes it
// (cmd's adapter), noting the ids ended.
type redisJournal struct {
	j    *memory.Journal
	done chan string
}

var _ Journal = (*redisJournal)(nil)

// crashLease is the journal lease of the crash tests: sweeps every
// journal.SweepInterval (5 s), renewals every 10 s.
const crashLease = 30 * time.Second

// newRedisJournal returns a journal on the test Redis whose leases follow
// now.
func newRedisJournal(t *testing.T, now func() time.Time) *redisJournal {
	t.Helper()
	s := memorytest.NewStore(t, memory.Config{Now: now}, slog.New(slog.DiscardHandler))
	j, err := s.Journal("tg:test", crashLease)
	if err != nil {
		t.Fatal(err)
	}
	return &redisJournal{j: j, done: make(chan string, 64)}
}

func (r *redisJournal) Record(ctx context.Context, id string, data []byte) (bool, error) {
	return r.j.Record(ctx, memory.JournalEntry{ID: id, Data: data})
}

func (r *redisJournal) Renew(ctx context.Context, ids ...string) error { return r.j.Renew(ctx, ids...) }

func (r *redisJournal) Done(ctx context.Context, ids ...string) error {
	err := r.j.Done(ctx, ids...)
	for _, id := range ids {
		r.done <- id
	}
	return err
}

func (r *redisJournal) Claim(ctx context.Context, max int) ([]string, [][]byte, error) {
	es, err := r.j.Claim(ctx, max)
	ids, data := make([]string, len(es)), make([][]byte, len(es))
	for i, e := range es {
		ids[i], data[i] = e.ID, e.Data
	}
	return ids, data, err
}

// waitDone waits until every id was ended.
func (r *redisJournal) waitDone(t *testing.T, ids ...string) {
	t.Helper()
	left := slices.Clone(ids)
	for len(left) > 0 {
		select {
		case id := <-r.done:
			left = slices.DeleteFunc(left, func(s string) bool { return s == id })
		case <-time.After(waitTimeout):
			t.Fatalf("journal entries %q never ended", left)
		}
	}
}

// crash is a dead process and the replica taking over from it, sharing a
// journal in Redis whose leases follow the replica's clock.
type crash struct {
	dead, replica *harness
	journal       *redisJournal
	handler       http.Handler       // the dead process's webhook, while it lived
	kill          context.CancelFunc // stops the dead process's albums
	taken         int                // updates the replica took over so far
}

func newCrash(t *testing.T) *crash {
	t.Helper()
	c := &crash{replica: newHarness(t, Config{AlbumWait: time.Second})}
	cfg := webhookConfig()
	cfg.AlbumWait = time.Second
	c.dead = newHarness(t, cfg)
	c.journal = newRedisJournal(t, c.replica.clock.Now)
	c.dead.bot.UseJournal(c.journal, crashLease)
	c.replica.bot.UseJournal(c.journal, crashLease)
	ctx, cancel := context.WithCancel(context.Background())
	c.handler, c.kill = c.dead.bot.webhookHandler(ctx), cancel
	return c
}

// post posts update raw to the process that will die, checking that it
// was acknowledged.
func (c *crash) post(t *testing.T, raw []byte) {
	t.Helper()
	if code := post(t, c.handler, "s3cret", raw); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
}

// die ends the first process without ending its records, as SIGKILL does.
func (c *crash) die() {
	c.kill()
	c.dead.bot.albums.Wait()
	c.dead.bot.queue.Close()
}

// start runs the replica and waits for its first sweep.
func (c *crash) start(t *testing.T) {
	t.Helper()
	c.replica.run(t)
	timers(t, c.replica.clock, 2, "the journal's renewal and sweep")
}

// sweep moves the replica's clock to its next sweep (5 s on) and waits
// until that sweep took over taken more updates and the replica waits on
// its clock again (pending timers).
func (c *crash) sweep(t *testing.T, taken, pending int) {
	t.Helper()
	c.replica.clock.Advance(journal.SweepInterval)
	c.taken += taken
	if c.taken > 0 {
		c.replica.logs.waitCount(t, "taking over an update", c.taken)
	}
	timers(t, c.replica.clock, pending, "the next sweep")
	if n := strings.Count(c.replica.logs.String(), "taking over an update"); n != c.taken {
		t.Fatalf("took over %d updates by now, want %d", n, c.taken)
	}
}

// noTurn checks that the replica submitted no turn (yet).
func (c *crash) noTurn(t *testing.T) {
	t.Helper()
	select {
	case tn := <-c.replica.turns:
		t.Fatalf("unexpected turn %q with %d images", tn.Text, len(tn.Images))
	default:
	}
}

// checkAlbum checks that tn is the album group of n pages, whole and in
// order, asking caption.
func checkAlbum(t *testing.T, tn bots.Turn, group, caption string, n int) {
	t.Helper()
	var pages []string
	for _, img := range tn.Images {
		pages = append(pages, string(img.Data))
	}
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("page %s-%d", group, i))
	}
	if tn.Text != caption || !slices.Equal(pages, want) {
		t.Fatalf("turn %q with %q, want %q with %q", tn.Text, pages, caption, want)
	}
}

// settled checks, long after, that the journal holds nothing more and
// that the replica took over no more updates.
func (c *crash) settled(t *testing.T) {
	t.Helper()
	c.replica.clock.Advance(2 * crashLease)
	if es, err := c.journal.j.Claim(t.Context(), 100); err != nil || len(es) != 0 {
		t.Errorf("journal still holds %d entries (%v)", len(es), err)
	}
	if n := strings.Count(c.replica.logs.String(), "taking over an update"); n != c.taken {
		t.Errorf("took over %d updates, want %d", n, c.taken)
	}
	c.noTurn(t)
}

func TestAnAlbumGatheringWhenItsProcessDiedIsAnsweredWhole(t *testing.T) {
	c := newCrash(t)
	c.start(t)
	chat := tgtest.PrivateChat(alice())
	// The photos arrive 0.4 s apart, on either side of the replica's
	// first sweep after its start.
	c.replica.clock.Advance(4600 * time.Millisecond)
	var ids []string
	for i := range 3 {
		if i > 0 {
			c.replica.clock.Advance(400 * time.Millisecond)
			timers(t, c.replica.clock, 2, "the journal's renewal and sweep")
		}
		c.post(t, albumPart(c.dead.srv, 70+i, chat, alice(), "g", "what is on these pages", i))
		albumPart(c.replica.srv, 70+i, chat, alice(), "g", "", i) // the file
		ids = append(ids, fmt.Sprint(70+i))
	}
	c.die() // before the album's quiet period ended
	c.replica.clock.Advance(4600 * time.Millisecond)
	timers(t, c.replica.clock, 2, "the journal's renewal and sweep")
	for range crashLease/journal.SweepInterval - 1 {
		c.sweep(t, 0, 2)
	}
	// Each part's lease was aligned with the album's as it was recorded:
	// the parts expire together, after the last one's lease, and one
	// sweep takes them all over, to gather them again.
	c.sweep(t, 3, 3)
	c.replica.clock.Advance(time.Second + journal.SweepInterval)
	tn := c.replica.nextTurn(t)
	checkAlbum(t, tn, "g", "what is on these pages", 3)
	c.noTurn(t)
	tn.Ended()
	c.journal.waitDone(t, ids...)
	c.settled(t)
}

func TestAnAlbumAnsweringWhenItsProcessDiedIsAnsweredOnceBeforeTheNextMessage(t *testing.T) {
	c := newCrash(t)
	chat := tgtest.PrivateChat(alice())
	var ids []string
	for i := range 3 {
		c.post(t, albumPart(c.dead.srv, 80+i, chat, alice(), "h", "compare", i))
		albumPart(c.replica.srv, 80+i, chat, alice(), "h", "", i)
		ids = append(ids, fmt.Sprint(80+i))
	}
	timers(t, c.dead.clock, 1, "the album's quiet period")
	c.dead.clock.Advance(time.Second)
	if tn := c.dead.nextTurn(t); len(tn.Images) != 3 {
		t.Fatalf("the first process's turn had %d images", len(tn.Images))
	}
	c.post(t, c.dead.srv.Update(83, tgtest.Message{Chat: chat, From: alice(), Text: "and the next one?"}))
	c.dead.nextTurn(t)
	c.die() // mid-answer: neither turn ended
	c.start(t)
	for range crashLease/journal.SweepInterval - 1 {
		c.sweep(t, 0, 2)
	}
	c.sweep(t, 4, 2) // the text flushed the album at once
	album := c.replica.nextTurn(t)
	checkAlbum(t, album, "h", "compare", 3)
	if next := c.replica.nextTurn(t); next.Text != "and the next one?" {
		t.Fatalf("second turn %q, want the text sent after the album", next.Text)
	} else {
		next.Ended()
	}
	album.Ended()
	c.journal.waitDone(t, append(ids, "83")...)
	c.settled(t)
}

func TestAnAlbumWhosePartsAreClaimedInTwoSweepsIsAnsweredWhole(t *testing.T) {
	c := newCrash(t)
	c.start(t)
	chat := tgtest.PrivateChat(alice())
	// A process recorded the parts 0.8 s apart and died before aligning
	// their leases: they expire on either side of a sweep.
	record := func(id, i int) {
		raw := albumPart(c.replica.srv, id, chat, alice(), "s", "both pages", i)
		if fresh, err := c.journal.Record(t.Context(), fmt.Sprint(id), raw); err != nil || !fresh {
			t.Fatalf("record part %d: %v %v", i, fresh, err)
		}
	}
	c.replica.clock.Advance(4600 * time.Millisecond)
	record(90, 0)
	c.replica.clock.Advance(400 * time.Millisecond) // the first sweep after start
	timers(t, c.replica.clock, 2, "the next sweep")
	c.replica.clock.Advance(400 * time.Millisecond)
	record(91, 1)
	c.replica.clock.Advance(4600 * time.Millisecond)
	timers(t, c.replica.clock, 2, "the next sweep")
	for range crashLease/journal.SweepInterval - 2 {
		c.sweep(t, 0, 2)
	}
	c.sweep(t, 1, 3) // part 0, gathered for a sweep longer than usual
	c.sweep(t, 1, 3) // part 1 joins it
	c.noTurn(t)
	c.replica.clock.Advance(time.Second + journal.SweepInterval)
	tn := c.replica.nextTurn(t)
	checkAlbum(t, tn, "s", "both pages", 2)
	tn.Ended()
	c.journal.waitDone(t, "90", "91")
	c.settled(t)
}

func TestAnAlbumCutByTheClaimBatchIsClaimedWhole(t *testing.T) {
	c := newCrash(t)
	c.start(t)
	// A dead process's records, all of one lease: group chatter first,
	// then an album whose first part ends a full claim batch.
	for id := 100; id < 100+journal.ClaimBatch-1; id++ {
		raw := c.replica.srv.Update(id, tgtest.Message{Chat: tgtest.GroupChat(groupID), From: bob(), Text: "chatter"})
		if _, err := c.journal.Record(t.Context(), fmt.Sprint(id), raw); err != nil {
			t.Fatal(err)
		}
	}
	chat := tgtest.PrivateChat(alice())
	for i := range 3 {
		id := 100 + journal.ClaimBatch - 1 + i
		if _, err := c.journal.Record(t.Context(), fmt.Sprint(id), albumPart(c.replica.srv, id, chat, alice(), "b", "all three", i)); err != nil {
			t.Fatal(err)
		}
	}
	for range crashLease/journal.SweepInterval - 1 {
		c.sweep(t, 0, 2)
	}
	c.sweep(t, journal.ClaimBatch+2, 3) // one sweep, two batches
	c.replica.clock.Advance(time.Second + journal.SweepInterval)
	tn := c.replica.nextTurn(t)
	checkAlbum(t, tn, "b", "all three", 3)
	tn.Ended()
	c.journal.waitDone(t, fmt.Sprint(100+journal.ClaimBatch-1), fmt.Sprint(100+journal.ClaimBatch), fmt.Sprint(100+journal.ClaimBatch+1))
	c.settled(t)
}
