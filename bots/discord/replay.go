package discord

import (
	"container/list"
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
