package discord

import (
	"container/list"
	"context"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// A signed interaction is accepted while its timestamp is within maxSkew
// of the clock, either way, so an id must be remembered for twice that to
// refuse every replay; at most maxRemembered ids are kept.
const (
	replayWindow  = 2 * maxSkew
	maxRemembered = 100_000
)

// recentIDs remembers the interaction ids seen within the replay window,
// forgetting the oldest first. It is safe for concurrent use.
type recentIDs struct {
	clock bots.Clock

	mu    sync.Mutex
	order *list.List // of seenID, oldest at the front
	ids   map[string]struct{}
}

// seenID is an id and when it was first seen.
type seenID struct {
	id string
	at time.Time
}

func newRecentIDs(clock bots.Clock) *recentIDs {
	return &recentIDs{clock: clock, order: list.New(), ids: make(map[string]struct{})}
}

// Add records id and reports whether it is new within the replay window.
func (r *recentIDs) Add(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.clock.Now()
	for e := r.order.Front(); e != nil; e = r.order.Front() {
		s := e.Value.(seenID)
		if now.Sub(s.at) < replayWindow && r.order.Len() < maxRemembered {
			break
		}
		r.order.Remove(e)
		delete(r.ids, s.id)
	}
	if _, ok := r.ids[id]; ok {
		return false
	}
	r.ids[id] = struct{}{}
	r.order.PushBack(seenID{id: id, at: now})
	return true
}

// deduper records ids shared by several replicas and kept across restarts
// (memory.Store's Seen): Seen reports whether this is id's first sighting
// within ttl.
type deduper interface {
	Seen(ctx context.Context, id string, ttl time.Duration) (bool, error)
}

// seenTimeout bounds asking the shared store about one id.
const seenTimeout = 2 * time.Second

// The kinds of id firstDelivery de-duplicates.
const (
	seenInteraction = "interaction"
	seenMessage     = "message"
)

// firstDelivery reports whether the id of kind, as seen by the bot or
// application owner (several bots may share one store, and every bot in a
// channel receives its messages), is new: not among the recent ids of
// this process nor, when the store is shared, of earlier runs and other
// replicas, all within the replay window. If the shared store fails the
// event is handled.
func (b *Bot) firstDelivery(ctx context.Context, kind, owner, id string) bool {
	key := "dc:" + kind + ":" + owner + ":" + id
	if !b.recent.Add(key) {
		return false
	}
	if b.seen == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, seenTimeout)
	defer cancel()
	first, err := b.seen.Seen(ctx, key, replayWindow)
	if err != nil {
		b.log.WarnContext(ctx, "shared de-duplication failed", "kind", kind, "id", id, "err", err)
		return true
	}
	return first
}
