package bots

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// AllowList is a set of allowed ids. The empty list allows everyone, so an
// operator who configures nothing gets an open bot. The zero value is an
// empty (open) list. An AllowList is immutable after NewAllowList and safe
// for concurrent use.
type AllowList[T comparable] struct {
	m map[T]struct{}
}

// NewAllowList returns a list allowing exactly ids, or everyone when ids is
// empty.
func NewAllowList[T comparable](ids ...T) AllowList[T] {
	m := make(map[T]struct{}, len(ids))
	for _, id := range ids {
		m[id] = struct{}{}
	}
	return AllowList[T]{m: m}
}

// Allows reports whether id may use the bot: always when the list is
// empty.
func (a AllowList[T]) Allows(id T) bool {
	if len(a.m) == 0 {
		return true
	}
	_, ok := a.m[id]
	return ok
}

// AllowsAny reports whether any of ids is on the list (or the list is
// empty); for example any of a member's roles.
func (a AllowList[T]) AllowsAny(ids ...T) bool {
	if len(a.m) == 0 {
		return true
	}
	for _, id := range ids {
		if _, ok := a.m[id]; ok {
			return true
		}
	}
	return false
}

// Contains reports whether id is on the list; unlike Allows it is false for
// the empty list (use it for admin lists, where empty means nobody).
func (a AllowList[T]) Contains(id T) bool {
	_, ok := a.m[id]
	return ok
}

// Len returns the number of ids on the list.
func (a AllowList[T]) Len() int { return len(a.m) }

// userLimitIdle is how long an unused per-user limiter is kept. After it a
// user's bucket is full again anyway, so dropping it loses nothing.
const userLimitIdle = 10 * time.Minute

// userLimits is the per-user rate limit: perMin turns a minute with a burst
// of as many, one token bucket per user key.
type userLimits struct {
	every time.Duration
	burst int
	clock Clock

	mu    sync.Mutex
	m     map[string]*userBucket
	swept time.Time
}

// userBucket is one user's limiter and when it was last used.
type userBucket struct {
	lim  *rate.Limiter
	used time.Time
}

// newUserLimits returns the limiter of perMin turns per user and minute;
// nil when perMin ≤ 0 (no limit).
func newUserLimits(perMin int, clock Clock) *userLimits {
	if perMin <= 0 {
		return nil
	}
	return &userLimits{
		every: time.Minute / time.Duration(perMin),
		burst: perMin,
		clock: clock,
		m:     make(map[string]*userBucket),
		swept: clock.Now(),
	}
}

// Allow takes one turn from user's bucket and reports whether there was
// one. A nil *userLimits allows everything. Safe for concurrent use.
func (u *userLimits) Allow(user string) bool {
	if u == nil {
		return true
	}
	now := u.clock.Now()
	u.mu.Lock()
	defer u.mu.Unlock()
	if now.Sub(u.swept) >= userLimitIdle {
		for k, b := range u.m {
			if now.Sub(b.used) >= userLimitIdle {
				delete(u.m, k)
			}
		}
		u.swept = now
	}
	b, ok := u.m[user]
	if !ok {
		b = &userBucket{lim: rate.NewLimiter(rate.Every(u.every), u.burst)}
		u.m[user] = b
	}
	b.used = now
	return b.lim.AllowN(now, 1)
}

// size returns the number of users tracked, for tests.
func (u *userLimits) size() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.m)
}

// budgetTTL keeps a day's counter a little longer than the day.
const budgetTTL = 48 * time.Hour

// budgets are the daily token budgets per user and per chat, counted in the
// history store under one key per UTC day.
type budgets struct {
	store      history
	user, chat int64
	clock      Clock
}

// counterKey returns the usage counter of kind ("user" or "chat") and id
// on the UTC day of now.
func counterKey(kind, id string, now time.Time) string {
	return "tokens:" + kind + ":" + now.UTC().Format("20060102") + ":" + id
}

// check returns a budgetError when user's or chat's budget for today is
// used up.
func (b budgets) check(ctx context.Context, user, chat string) error {
	now := b.clock.Now()
	if b.user > 0 && user != "" {
		n, err := b.store.Usage(ctx, counterKey("user", user, now))
		if err != nil {
			return fmt.Errorf("read user token usage: %w", err)
		}
		if n >= b.user {
			return budgetError{}
		}
	}
	if b.chat > 0 {
		n, err := b.store.Usage(ctx, counterKey("chat", chat, now))
		if err != nil {
			return fmt.Errorf("read chat token usage: %w", err)
		}
		if n >= b.chat {
			return budgetError{chat: true}
		}
	}
	return nil
}

// add counts tokens against today's budgets of user and chat.
func (b budgets) add(ctx context.Context, user, chat string, tokens int64) error {
	if tokens <= 0 {
		return nil
	}
	now := b.clock.Now()
	if b.user > 0 && user != "" {
		if _, err := b.store.AddUsage(ctx, counterKey("user", user, now), tokens, budgetTTL); err != nil {
			return fmt.Errorf("count user tokens: %w", err)
		}
	}
	if b.chat > 0 {
		if _, err := b.store.AddUsage(ctx, counterKey("chat", chat, now), tokens, budgetTTL); err != nil {
			return fmt.Errorf("count chat tokens: %w", err)
		}
	}
	return nil
}
