package memory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Settings returns chat's settings (zero Settings if none) and refreshes
// their TTL.
func (e *Embedded) Settings(_ context.Context, chat string) (Settings, error) {
	if chat == "" {
		return Settings{}, fmt.Errorf("load settings: %w", errEmptyKey)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	c := e.chat(chat, now, false)
	if c == nil || c.settings == nil {
		return Settings{}, nil
	}
	c.setExp = now.Add(e.cfg.TTL)
	return cloneSettings(*c.settings), nil
}

// SetSettings replaces all of chat's settings with s; zero fields are
// removed.
func (e *Embedded) SetSettings(_ context.Context, chat string, s Settings) error {
	if chat == "" {
		return fmt.Errorf("save settings: %w", errEmptyKey)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	c := e.chat(chat, now, true)
	c.settings, c.setExp = nil, time.Time{}
	if len(settingsFields(s)) > 0 {
		c.settings, c.setExp = ptr(cloneSettings(s)), now.Add(e.cfg.TTL)
	}
	e.dropIfEmpty(chat, c)
	return nil
}

// TryLock takes chat's lock for ttl if it is free, and returns ErrLocked if
// another owner holds it.
func (e *Embedded) TryLock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error) {
	return e.TryLockFor(ctx, chat, "", ttl)
}

// TryLockFor takes the lock of holder in chat for ttl if it is free, and
// returns ErrLocked if another owner holds it; see Store.TryLockFor.
func (e *Embedded) TryLockFor(_ context.Context, chat, holder string, ttl time.Duration) (*Lock, error) {
	if err := checkTTL(ttl); err != nil {
		return nil, fmt.Errorf("lock chat: %w", err)
	}
	if chat == "" {
		return nil, fmt.Errorf("lock chat: %w", errEmptyKey)
	}
	key := embeddedLockKey(chat, holder)
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	if held, ok := e.locks[key]; ok && !expired(held.exp, now) {
		return nil, ErrLocked
	}
	l := newLock(key, ttl, embeddedLocker{e}, e.log)
	e.locks[key] = heldLock{token: l.token, exp: now.Add(ttl)}
	return l, nil
}

// Lock takes chat's lock for ttl, polling with backoff and jitter while
// another owner holds it, until ctx ends.
func (e *Embedded) Lock(ctx context.Context, chat string, ttl time.Duration) (*Lock, error) {
	return e.LockFor(ctx, chat, "", ttl)
}

// LockFor takes the lock of holder in chat for ttl, polling with backoff
// and jitter while another owner holds it, until ctx ends.
func (e *Embedded) LockFor(ctx context.Context, chat, holder string, ttl time.Duration) (*Lock, error) {
	return waitLock(ctx, func() (*Lock, error) { return e.TryLockFor(ctx, chat, holder, ttl) })
}

// embeddedLockKey is the key of holder's lock in chat: the chat itself for
// the chat's own lock.
func embeddedLockKey(chat, holder string) string {
	if holder == "" {
		return chat
	}
	return chat + "\x00" + holder
}

// embeddedLockChat returns the chat of a lock key.
func embeddedLockChat(key string) string {
	chat, _, _ := strings.Cut(key, "\x00")
	return chat
}

// embeddedLocker serves an Embedded store's Locks; their key is
// embeddedLockKey's.
type embeddedLocker struct{ e *Embedded }

func (b embeddedLocker) refreshLock(_ context.Context, chat, token string, ttl time.Duration) (bool, error) {
	b.e.mu.Lock()
	defer b.e.mu.Unlock()
	now := b.e.now()
	held, ok := b.e.locks[chat]
	if !ok || held.token != token || expired(held.exp, now) {
		return false, nil
	}
	b.e.locks[chat] = heldLock{token: token, exp: now.Add(ttl)}
	return true, nil
}

func (b embeddedLocker) releaseLock(_ context.Context, chat, token string) (bool, error) {
	b.e.mu.Lock()
	defer b.e.mu.Unlock()
	held, ok := b.e.locks[chat]
	if !ok || held.token != token || expired(held.exp, b.e.now()) {
		return false, nil
	}
	delete(b.e.locks, chat)
	return true, nil
}

// Seen records id for ttl and reports whether this is its first sighting
// within that time.
func (e *Embedded) Seen(_ context.Context, id string, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, fmt.Errorf("mark seen: %w", err)
	}
	if id == "" {
		return false, fmt.Errorf("mark seen: %w", errEmptyKey)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	if exp, ok := e.seen[id]; ok && !expired(exp, now) {
		return false, nil
	}
	e.seen[id] = now.Add(ttl)
	return true, nil
}

// AddUsage adds n to counter and returns the new total. The first add after
// the counter was created sets its expiry to ttl (none if ttl <= 0); later
// adds keep it.
func (e *Embedded) AddUsage(_ context.Context, name string, n int64, ttl time.Duration) (int64, error) {
	if name == "" {
		return 0, fmt.Errorf("add usage: %w", errEmptyKey)
	}
	if ttl > 0 {
		if err := checkTTL(ttl); err != nil {
			return 0, fmt.Errorf("add usage: %w", err)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	c := e.counters[name]
	if expired(c.exp, now) {
		c = counter{}
	}
	c.n += n
	if c.exp.IsZero() && ttl > 0 {
		c.exp = now.Add(ttl)
	}
	e.counters[name] = c
	return c.n, nil
}

// Usage returns counter's total, zero if it does not exist.
func (e *Embedded) Usage(_ context.Context, counter string) (int64, error) {
	if counter == "" {
		return 0, fmt.Errorf("read usage: %w", errEmptyKey)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.counters[counter]
	if expired(c.exp, e.now()) {
		return 0, nil
	}
	return c.n, nil
}

// LockForAndLoad takes the lock of holder in chat and loads the chat, as
// Store.LockForAndLoad does.
func (e *Embedded) LockForAndLoad(ctx context.Context, chat, holder string, ttl time.Duration, maxTurns, maxImages int) (*Lock, History, error) {
	l, err := e.LockFor(ctx, chat, holder, ttl)
	if err != nil {
		return nil, History{}, err
	}
	h, err := e.Load(ctx, chat, maxTurns, maxImages)
	if err != nil {
		return nil, History{}, errors.Join(err, l.Release(ctx))
	}
	return l, h, nil
}

// AppendAndRelease is AppendIfLocked, then releases l once the turn is
// stored, as Store.AppendAndRelease does.
func (e *Embedded) AppendAndRelease(ctx context.Context, chat string, l *Lock, t Turn, images ...Image) error {
	if l == nil {
		return fmt.Errorf("append history of %q: no lock to release", chat)
	}
	if err := e.appendTurn(chat, l, t, images); err != nil {
		return err
	}
	if err := l.Release(ctx); err != nil {
		return fmt.Errorf("release lock after storing the turn: %w", err)
	}
	l.released.Store(true)
	return nil
}
