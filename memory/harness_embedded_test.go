package memory

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

func newEmbeddedUnderTest(t *testing.T, cfg Config) storeUnderTest {
	t.Helper()
	clock := &fakeClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	cfg.Now = clock.Now
	logs := &logRecorder{}
	e := NewEmbedded(cfg, slog.New(logs))
	return storeUnderTest{
		store: e,
		cfg:   e.cfg,
		logs:  logs,
		ttl:   func(chat, part string) time.Duration { return e.testTTL(chat, part) },
		setTTL: func(chat, part string, d time.Duration) {
			if !e.testSetExpiry(chat, part, clock.Now().Add(d)) {
				t.Fatalf("set ttl of %q %q: no such part", chat, part)
			}
		},
		pushRaw: e.testPushRaw,
		images:  e.testImages,
	}
}

// testTTL returns a part's remaining TTL.
func (e *Embedded) testTTL(chat, part string) time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.cfg.Now()
	exp, ok := e.testExpiry(chat, part)
	switch {
	case !ok || expired(exp, now):
		return ttlMissing
	case exp.IsZero():
		return ttlNoExpiry
	}
	return exp.Sub(now)
}

// testExpiry reads a part's expiry time; false if the part is absent.
func (e *Embedded) testExpiry(chat, part string) (time.Time, bool) {
	kind, name, _ := strings.Cut(part, ":")
	c := e.chats[chat]
	switch {
	case chat == "" && kind == "seen":
		exp, ok := e.seen[name]
		return exp, ok
	case chat == "" && kind == "usage":
		cn, ok := e.counters[name]
		return cn.exp, ok
	case part == "lock":
		l, ok := e.locks[chat]
		return l.exp, ok
	case c == nil:
	case part == "h":
		return c.histExp, len(c.hist) > 0
	case part == "s":
		return c.setExp, c.settings != nil
	case kind == "img":
		img, ok := c.images[name]
		return img.exp, ok
	}
	return time.Time{}, false
}

// testSetExpiry sets a part's expiry time; false if the part is absent.
func (e *Embedded) testSetExpiry(chat, part string, exp time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.testExpiry(chat, part); !ok {
		return false
	}
	kind, name, _ := strings.Cut(part, ":")
	c := e.chats[chat]
	switch {
	case chat == "" && kind == "seen":
		e.seen[name] = exp
	case chat == "" && kind == "usage":
		cn := e.counters[name]
		cn.exp = exp
		e.counters[name] = cn
	case part == "lock":
		l := e.locks[chat]
		l.exp = exp
		e.locks[chat] = l
	case part == "h":
		c.histExp = exp
	case part == "s":
		c.setExp = exp
	case kind == "img":
		img := c.images[name]
		img.exp = exp
		c.images[name] = img
	}
	return true
}

func (e *Embedded) testPushRaw(chat string, raw []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.cfg.Now()
	c := e.chat(chat, now, true)
	c.hist = append(c.hist, storedTurn{raw: slices.Clone(raw), tokens: rawTokens(raw)})
	c.histExp = now.Add(e.cfg.TTL)
}

func (e *Embedded) testImages(chat string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.chat(chat, e.cfg.Now(), false)
	if c == nil {
		return nil
	}
	hashes := make([]string, 0, len(c.images))
	for h := range c.images {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	return hashes
}
