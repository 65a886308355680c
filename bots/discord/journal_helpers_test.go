package discord

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

// testLease is the journal lease of the tests.
const testLease = 30 * time.Second

// redisJournal is a memory.Journal in the test's Redis, adapted to Journal
// as cmd adapts it, that reports what it records and ends.
type redisJournal struct {
	j    *memory.Journal
	rdb  redis.UniversalClient
	data string // the hash holding the entries

	// onRecord, if set, runs before each Record.
	onRecord func(id string)
	mu       sync.Mutex
	done     []string
	changed  chan struct{} // signalled on every Done
}

var _ Journal = (*redisJournal)(nil)

// journalStore is a Redis store whose clock is clock, and its journal.
type journalStore struct {
	store   *memory.Store
	journal *redisJournal
}

// newJournalStore returns a store and journal under the test's own prefix;
// the store and its leases tell time by clock.
func newJournalStore(t *testing.T, clock bots.Clock) journalStore {
	t.Helper()
	rdb := memorytest.Redis(t)
	prefix := memorytest.Prefix(t, rdb)
	store := memory.NewStore(rdb, memory.Config{Prefix: prefix, Now: clock.Now}, slog.New(slog.DiscardHandler))
	j, err := store.Journal("dc:"+dctest.AppID, testLease)
	if err != nil {
		t.Fatal(err)
	}
	return journalStore{store: store, journal: &redisJournal{
		j: j, rdb: rdb, data: prefix + "journal:{dc:" + dctest.AppID + "}:data", changed: make(chan struct{}, 64),
	}}
}

func (r *redisJournal) Record(ctx context.Context, id string, data []byte) (bool, error) {
	if r.onRecord != nil {
		r.onRecord(id)
	}
	return r.j.Record(ctx, memory.JournalEntry{ID: id, Data: data})
}

func (r *redisJournal) Renew(ctx context.Context, ids ...string) error { return r.j.Renew(ctx, ids...) }

func (r *redisJournal) Done(ctx context.Context, ids ...string) error {
	err := r.j.Done(ctx, ids...)
	r.mu.Lock()
	r.done = append(r.done, ids...)
	r.mu.Unlock()
	select {
	case r.changed <- struct{}{}:
	default:
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

// has reports whether id is recorded in Redis.
func (r *redisJournal) has(tb testing.TB, id string) bool {
	tb.Helper()
	ok, err := r.rdb.HExists(context.Background(), r.data, id).Result()
	if err != nil {
		tb.Fatal(err)
	}
	return ok
}

// waitDone waits until id was ended.
func (r *redisJournal) waitDone(tb testing.TB, id string) {
	tb.Helper()
	timeout := time.After(10 * time.Second)
	for {
		r.mu.Lock()
		ok := slices.Contains(r.done, id)
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-r.changed:
		case <-timeout:
			tb.Fatalf("journal entry %s never ended", id)
		}
	}
}

// newJournalBot is a bot on fake keeping its journal in js, logging to
// logw (nil: the test's output).
func newJournalBot(t *testing.T, fake *dctest.Server, clock bots.Clock, eng engine, js journalStore, logw *syncBuffer) *Bot {
	t.Helper()
	b := newSharedBot(t, fake, testConfig(fake, clock), eng, js.store)
	if logw != nil {
		b.log = slog.New(slog.NewTextHandler(logw, nil))
	}
	b.UseJournal(js.journal, testLease)
	return b
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// snowflakeAt is an id Discord would have made at t.
func snowflakeAt(t time.Time) string {
	return strconv.FormatInt((t.UnixMilli()-1420070400000)<<22, 10)
}

// askAt is an /ask by guildUser with prompt, made at t.
func askAt(fake *dctest.Server, prompt string, t time.Time) *discordgo.Interaction {
	i := fake.Command(guildUser, "ask", dctest.String("prompt", prompt))
	i.ID = snowflakeAt(t)
	return i
}

// postInteraction serves i, signed at the clock's time, through b's
// endpoint and returns the response's status.
func postInteraction(t *testing.T, b *Bot, fake *dctest.Server, i *discordgo.Interaction) int {
	t.Helper()
	srv := httptest.NewServer(b.InteractionsHandler())
	t.Cleanup(srv.Close)
	code, _, err := fake.PostInteraction(t.Context(), srv.URL, i, b.cfg.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// claim takes over, once, the entries of dead processes, as the journal
// loop does every sweep.
func (b *Bot) claim(ctx context.Context) { b.journal.Sweep(ctx, b.takeOver) }

// killed stands for a process that died with its turns under way: it
// stops without ending its journal entries, and their leases expire.
func killed(b *Bot, clock *botstest.FakeClock) {
	b.drain()
	clock.Advance(testLease + time.Millisecond)
}
