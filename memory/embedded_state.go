package memory

import "time"

// heldLock is an Embedded chat lock's owner and expiry.
type heldLock struct {
	token string
	exp   time.Time
}

// counter is an Embedded usage counter; a zero exp never expires.
type counter struct {
	n   int64
	exp time.Time
}

// expired reports whether an expiry time has passed; zero never expires.
func expired(exp, now time.Time) bool {
	return !exp.IsZero() && !now.Before(exp)
}

// chat returns chat's live state, dropping its expired parts, creating it
// if create is set. It returns nil if there is none. Callers hold e.mu.
func (e *Embedded) chat(chat string, now time.Time, create bool) *chatState {
	c := e.chats[chat]
	if c != nil {
		c.expire(now)
		if !create && e.dropIfEmpty(chat, c) {
			return nil
		}
	}
	if c == nil && create {
		c = &chatState{images: make(map[string]storedImage)}
		e.chats[chat] = c
	}
	return c
}

// expire drops the parts of c whose TTL passed.
func (c *chatState) expire(now time.Time) {
	if expired(c.histExp, now) {
		c.hist, c.histExp = nil, time.Time{}
	}
	if expired(c.setExp, now) {
		c.settings, c.setExp = nil, time.Time{}
	}
	for h, img := range c.images {
		if expired(img.exp, now) {
			delete(c.images, h)
		}
	}
}

// dropIfEmpty forgets chat if nothing of it is left and reports whether it
// did. Callers hold e.mu.
func (e *Embedded) dropIfEmpty(chat string, c *chatState) bool {
	if len(c.hist) > 0 || len(c.images) > 0 || c.settings != nil {
		return false
	}
	delete(e.chats, chat)
	return true
}

// sweep drops everything expired. Callers hold e.mu.
func (e *Embedded) sweep(now time.Time) {
	for chat, c := range e.chats {
		c.expire(now)
		e.dropIfEmpty(chat, c)
	}
	for k, l := range e.locks {
		if expired(l.exp, now) {
			delete(e.locks, k)
		}
	}
	for k, exp := range e.seen {
		if expired(exp, now) {
			delete(e.seen, k)
		}
	}
	for k, c := range e.counters {
		if expired(c.exp, now) {
			delete(e.counters, k)
		}
	}
}
