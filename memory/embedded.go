package memory

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// sweepEvery is how often (by Config.Now) an Embedded store drops expired
// entries it has not touched since they expired.
const sweepEvery = time.Minute

// Embedded keeps chat history, settings, locks and counters in process
// memory, with the same semantics as Store, for running without Redis.
// Everything is lost on restart and nothing is shared between processes.
// It is safe for concurrent use.
type Embedded struct {
	cfg Config
	log *slog.Logger

	mu       sync.Mutex
	chats    map[string]*chatState
	locks    map[string]heldLock
	seen     map[string]time.Time
	counters map[string]counter
	swept    time.Time
	stops    map[chan Stop]struct{} // subscribers of Stops
	replicas map[string]time.Time   // replica id → expiry of its record
}

// chatState is one chat's history, images and settings with their expiry.
type chatState struct {
	hist     []storedTurn
	histExp  time.Time
	images   map[string]storedImage
	settings *Settings
	setExp   time.Time
}

// storedTurn is an encoded turn, kept as bytes so callers share no memory
// with the store and corrupt entries behave as in Redis.
type storedTurn struct {
	raw    []byte
	tokens int
	// refs are the valid image hashes the turn references.
	refs []string
}

type storedImage struct {
	data []byte
	exp  time.Time
}

// NewEmbedded returns an in-process store and warns on log that history is
// lost on restart. A nil log means slog.Default(); the caller scopes it
// (e.g. with "component"="memory").
func NewEmbedded(cfg Config, log *slog.Logger) *Embedded {
	if log == nil {
		log = slog.Default()
	}
	e := &Embedded{
		cfg:      cfg.withDefaults(),
		log:      log,
		chats:    make(map[string]*chatState),
		locks:    make(map[string]heldLock),
		seen:     make(map[string]time.Time),
		counters: make(map[string]counter),
	}
	e.swept = e.cfg.Now()
	e.log.Warn("using the embedded in-process store: chat history, settings and limits are lost on restart and not shared between replicas; configure Redis to keep them")
	return e
}

// Ping always succeeds.
func (e *Embedded) Ping(context.Context) error { return nil }

// Load returns chat's settings, the newest maxTurns turns of chat (all if
// maxTurns <= 0) and the bytes of the images behind the newest maxImages
// image refs, and refreshes the TTLs of what it read. Unreadable entries
// are skipped and logged.
func (e *Embedded) Load(_ context.Context, chat string, maxTurns, maxImages int) (History, error) {
	if chat == "" {
		return History{}, fmt.Errorf("load history: %w", errEmptyKey)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	c := e.chat(chat, now, false)
	if c == nil {
		return History{}, nil
	}
	exp := now.Add(e.cfg.TTL)
	var h History
	if c.settings != nil {
		h.Settings, c.setExp = cloneSettings(*c.settings), exp
	}
	if len(c.hist) == 0 {
		return h, nil
	}
	tail := c.hist
	if maxTurns > 0 && len(tail) > maxTurns {
		tail = tail[len(tail)-maxTurns:]
	}
	raws := make([][]byte, len(tail))
	for i, st := range tail {
		raws[i] = st.raw
	}
	h.Turns = decodeTurns(e.log, e.historyKey(chat), raws)
	for _, hash := range imageWindow(h.Turns, maxImages) {
		img, ok := c.images[hash]
		if !ok {
			continue
		}
		if h.Images == nil {
			h.Images = make(map[string][]byte)
		}
		h.Images[hash] = slices.Clone(img.data)
		img.exp = exp
		c.images[hash] = img
	}
	c.histExp = exp
	return h, nil
}

// Append stores t (and its new images, once per content hash) at the end of
// chat's history, trims it to Config.MaxTurns and Config.MaxTokens and
// refreshes TTLs. t.At is set to now when zero.
func (e *Embedded) Append(_ context.Context, chat string, t Turn, images ...Image) error {
	return e.appendTurn(chat, nil, t, images)
}

// AppendIfLocked is Append done only while l, a lock of chat from this
// store, still holds chat's lock, atomically. It returns ErrLockLost (and
// closes l.Lost) and stores nothing if the lock expired or belongs to
// someone else. It does not extend l.
func (e *Embedded) AppendIfLocked(_ context.Context, chat string, l *Lock, t Turn, images ...Image) error {
	return e.appendTurn(chat, l, t, images)
}

// appendTurn stores t, checking l first when it is not nil.
func (e *Embedded) appendTurn(chat string, l *Lock, t Turn, images []Image) error {
	if chat == "" {
		return fmt.Errorf("append history: %w", errEmptyKey)
	}
	if l != nil && embeddedLockChat(l.key) != chat {
		return fmt.Errorf("append history: lock of chat %q is not the lock of chat %q", embeddedLockChat(l.key), chat)
	}
	ups, err := imageUploads(t.Images, images)
	if err != nil {
		return fmt.Errorf("append history of %q: %w", chat, err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	if l != nil {
		if held, ok := e.locks[l.key]; !ok || held.token != l.token || expired(held.exp, now) {
			l.lose()
			return ErrLockLost
		}
	}
	raw, err := encodeTurn(t, now)
	if err != nil {
		return fmt.Errorf("append history of %q: %w", chat, err)
	}
	c := e.chat(chat, now, true)
	exp := now.Add(e.cfg.TTL)
	for _, u := range ups {
		img, ok := c.images[u.hash]
		switch {
		case ok:
			img.exp = exp
		case u.data != nil:
			img = storedImage{data: slices.Clone(u.data), exp: exp}
		default:
			continue
		}
		c.images[u.hash] = img
	}
	trimmed := c.pushTurn(storedTurn{raw: raw, tokens: rawTokens(raw), refs: refHashes(t.Images)}, e.cfg.MaxTurns, e.cfg.MaxTokens)
	c.dropOrphans(trimmed)
	c.histExp = exp
	if c.settings != nil {
		c.setExp = exp
	}
	return nil
}

// pushTurn appends st, drops the oldest turns beyond the limits and
// returns them.
func (c *chatState) pushTurn(st storedTurn, maxTurns, maxTokens int) []storedTurn {
	c.hist = append(c.hist, st)
	keep := keepCount(len(c.hist), func(i int) int { return c.hist[i].tokens }, maxTurns, maxTokens)
	if keep == len(c.hist) {
		return nil
	}
	trimmed := c.hist[:len(c.hist)-keep]
	c.hist = slices.Clone(c.hist[len(c.hist)-keep:])
	return trimmed
}

// dropOrphans deletes the images the trimmed turns referenced that no
// remaining turn references.
func (c *chatState) dropOrphans(trimmed []storedTurn) {
	orphans := make(map[string]bool)
	for _, st := range trimmed {
		for _, h := range st.refs {
			orphans[h] = true
		}
	}
	if len(orphans) == 0 {
		return
	}
	for _, st := range c.hist {
		for _, h := range st.refs {
			delete(orphans, h)
		}
	}
	for h := range orphans {
		delete(c.images, h)
	}
}

// refHashes returns the valid hashes of refs.
func refHashes(refs []ImageRef) []string {
	var out []string
	for _, r := range refs {
		if validHash(r.Hash) {
			out = append(out, r.Hash)
		}
	}
	return out
}

// Reset deletes chat's history and images, not its settings or lock.
func (e *Embedded) Reset(_ context.Context, chat string) error {
	if chat == "" {
		return fmt.Errorf("reset history: %w", errEmptyKey)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if c := e.chat(chat, e.now(), false); c != nil {
		c.hist, c.images = nil, make(map[string]storedImage)
		e.dropIfEmpty(chat, c)
	}
	return nil
}

// now reads the clock and sweeps expired entries now and then. Callers
// hold e.mu.
func (e *Embedded) now() time.Time {
	now := e.cfg.Now()
	if now.Sub(e.swept) >= sweepEvery {
		e.sweep(now)
		e.swept = now
	}
	return now
}

// historyKey names chat's history in logs as Store does.
func (e *Embedded) historyKey(chat string) string {
	k, _ := newChatKeys(e.cfg.Prefix, chat)
	return k.history
}
