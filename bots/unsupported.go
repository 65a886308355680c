package bots

import (
	"sync"
	"time"
)

// unsupportedQuiet is how long a chat's unsupported messages must pause
// before the next one is answered again: a burst of stickers gets one
// answer.
const unsupportedQuiet = time.Minute

// maxBursts bounds the chats a burstFilter remembers.
const maxBursts = 10000

// burstFilter lets the first event of each burst per key through: an
// event within quiet of the key's previous one belongs to the same burst.
// Safe for concurrent use.
type burstFilter struct {
	quiet time.Duration
	mu    sync.Mutex
	last  map[string]time.Time
}

// newBurstFilter returns a filter whose bursts end after quiet.
func newBurstFilter(quiet time.Duration) *burstFilter {
	return &burstFilter{quiet: quiet, last: make(map[string]time.Time)}
}

// first records an event of key at now and reports whether it starts a
// burst.
func (f *burstFilter) first(key string, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	prev, seen := f.last[key]
	if !seen && len(f.last) >= maxBursts {
		for k, at := range f.last {
			if now.Sub(at) >= f.quiet {
				delete(f.last, k)
			}
		}
		if len(f.last) >= maxBursts {
			clear(f.last)
		}
	}
	f.last[key] = now
	return !seen || now.Sub(prev) >= f.quiet
}

// unsupported answers a turn the bot cannot read with what it reads, once
// per burst of such turns in the chat; the model never sees it.
func (e *Engine) unsupported(t Turn, cat catalog) error {
	if e.bursts.first(t.Chat, e.clock.Now()) {
		return e.reject(t, RejectInvalid, cat.Unsupported)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closing {
		return ErrShuttingDown
	}
	e.obs.TurnRejected(platformOf(t.Chat), RejectInvalid)
	return nil
}
