package telegram

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// albums gathers the messages of media groups (albums) until no member has
// arrived for a quiet period, then hands the whole album to flush. It is
// safe for concurrent use; Wait waits for its goroutines.
type albums struct {
	clock bots.Clock
	quiet time.Duration
	flush func(ctx context.Context, msgs []*rawMessage)

	mu     sync.Mutex
	groups map[string]*album
	wg     sync.WaitGroup
}

// album is one media group being gathered.
type album struct {
	msgs []*rawMessage
	last time.Time // when the newest member arrived
}

func newAlbums(clock bots.Clock, quiet time.Duration, flush func(context.Context, []*rawMessage)) *albums {
	return &albums{clock: clock, quiet: quiet, flush: flush, groups: make(map[string]*album)}
}

// Add adds m, which has a media_group_id, to its album. The album is
// flushed once quiet has passed without a new member; if ctx ends first,
// the album is dropped.
func (a *albums) Add(ctx context.Context, m *rawMessage) {
	key := strconv.FormatInt(chatOf(m).ID, 10) + "/" + m.MediaGroupID
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.clock.Now()
	if g, ok := a.groups[key]; ok {
		g.msgs = append(g.msgs, m)
		g.last = now
		return
	}
	a.groups[key] = &album{msgs: []*rawMessage{m}, last: now}
	a.wg.Add(1)
	go a.gather(ctx, key)
}

// gather waits until the album has been quiet for the quiet period, then
// flushes it.
func (a *albums) gather(ctx context.Context, key string) {
	defer a.wg.Done()
	for {
		a.mu.Lock()
		wait := a.groups[key].last.Add(a.quiet).Sub(a.clock.Now())
		if wait <= 0 {
			msgs := a.groups[key].msgs
			delete(a.groups, key)
			a.mu.Unlock()
			a.flush(ctx, msgs)
			return
		}
		a.mu.Unlock()
		select {
		case <-a.clock.After(wait):
		case <-ctx.Done():
			a.take(key)
			return
		}
	}
}

// take removes an album and returns its messages.
func (a *albums) take(key string) []*rawMessage {
	a.mu.Lock()
	defer a.mu.Unlock()
	g := a.groups[key]
	delete(a.groups, key)
	return g.msgs
}

// Wait waits for every album goroutine to end (they end with their ctx).
func (a *albums) Wait() { a.wg.Wait() }
