package memory

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// store is the method set both implementations share; the suite runs on it.
type store interface {
	Load(ctx context.Context, chat string, maxTurns, maxImages int) (History, error)
	Append(ctx context.Context, chat string, t Turn, images ...Image) error
	AppendIfLocked(ctx context.Context, chat string, l *Lock, t Turn, images ...Image) error
	Reset(ctx context.Context, chat string) error
	Settings(ctx context.Context, chat string) (Settings, error)
	SetSettings(ctx context.Context, chat string, s Settings) error
	TryLock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error)
	Lock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error)
	TryLockFor(ctx context.Context, chat, holder string, ttl time.Duration) (*Lock, error)
	LockedFor(ctx context.Context, chat, holder string) (bool, error)
	Lockers(ctx context.Context, chat string) (int, error)
	LockForAndLoad(ctx context.Context, chat, holder string, ttl time.Duration, maxTurns, maxImages int) (*Lock, History, error)
	AppendAndRelease(ctx context.Context, chat string, l *Lock, t Turn, images ...Image) error
	Seen(ctx context.Context, id string, ttl time.Duration) (bool, error)
	AddUsage(ctx context.Context, counter string, n int64, ttl time.Duration) (int64, error)
	Usage(ctx context.Context, counter string) (int64, error)
	Ping(ctx context.Context) error
}

var (
	_ store = (*Store)(nil)
	_ store = (*Embedded)(nil)
)

// TTL conventions of storeUnderTest.ttl, as go-redis reports PTTL.
const (
	ttlMissing  time.Duration = -2
	ttlNoExpiry time.Duration = -1
)

// storeUnderTest is a store plus the raw access the suite needs. A part is
// "h", "s", "lock" or "img:<hash>" of chat, or with chat "" a standalone
// "seen:<id>" or "usage:<counter>".
type storeUnderTest struct {
	store
	cfg  Config // with defaults applied
	logs *logRecorder
	// ttl returns the part's remaining TTL, ttlMissing or ttlNoExpiry.
	ttl func(chat, part string) time.Duration
	// setTTL makes the part expire in d; d == 0 expires it now.
	setTTL func(chat, part string, d time.Duration)
	// pushRaw appends raw bytes to chat's history as if another writer had.
	pushRaw func(chat string, raw []byte)
	// images lists the hashes of chat's stored images, sorted.
	images func(chat string) []string
}

// newStoreFunc builds an empty store for one test with cfg.
type newStoreFunc func(t *testing.T, cfg Config) storeUnderTest

// logRecorder is a slog.Handler keeping records for assertions.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
	attrs   []slog.Attr
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	rec = rec.Clone()
	rec.AddAttrs(r.attrs...)
	r.records = append(r.records, rec)
	return nil
}

func (r *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	// The store scopes its logger once; sharing records keeps them in one place.
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attrs = append(r.attrs, as...)
	return r
}

func (r *logRecorder) WithGroup(string) slog.Handler { return r }

// find returns the records whose message contains msg, as "msg k=v ..." text.
func (r *logRecorder) find(msg string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, rec := range r.records {
		if !strings.Contains(rec.Message, msg) {
			continue
		}
		var b strings.Builder
		b.WriteString(rec.Message)
		rec.Attrs(func(a slog.Attr) bool {
			b.WriteString(" " + a.String())
			return true
		})
		out = append(out, b.String())
	}
	return out
}

// fakeClock is a settable clock for Config.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// notifyingBackend reports every lock refresh result on a channel.
type notifyingBackend struct {
	lockBackend
	refreshed chan bool
}

func (n notifyingBackend) refreshLock(ctx context.Context, key, token string, ttl time.Duration) (bool, error) {
	ok, err := n.lockBackend.refreshLock(ctx, key, token, ttl)
	if err == nil {
		n.refreshed <- ok
	}
	return ok, err
}
