package telegram

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// albums gathers the messages of media groups (albums) until no member has
// arrived for a quiet period, or until FlushChat asks for them, then hands
// the whole album to flush. flush is called with the albums' lock held, so
// it must not block or call back into albums (the Bot's only queues the
// album). It is safe for concurrent use; Wait waits for its goroutines.
type albums struct {
	clock bots.Clock
	quiet time.Duration
	flush func(ctx context.Context, msgs []*rawMessage)

	mu     sync.Mutex
	groups map[string]*album
	seq    uint64 // albums started so far, to flush a chat's in order
	wg     sync.WaitGroup
}

// album is one media group being gathered.
type album struct {
	chat string // the chatRef key of the album's chat (and topic)
	seq  uint64
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
	a.seq++
	g := &album{chat: chatOf(m).Key(), seq: a.seq, msgs: []*rawMessage{m}, last: now}
	a.groups[key] = g
	a.wg.Add(1)
	go a.gather(ctx, key, g)
}

// gather waits until album g has been quiet for the quiet period, then
// flushes it. It ends early when FlushChat took the album.
func (a *albums) gather(ctx context.Context, key string, g *album) {
	defer a.wg.Done()
	for {
		a.mu.Lock()
		if a.groups[key] != g {
			a.mu.Unlock()
			return
		}
		wait := g.last.Add(a.quiet).Sub(a.clock.Now())
		if wait <= 0 {
			delete(a.groups, key)
			a.flush(ctx, g.msgs)
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		select {
		case <-a.clock.After(wait):
		case <-ctx.Done():
			a.drop(key, g)
			return
		}
	}
}

// drop forgets album g, unless it was flushed already.
func (a *albums) drop(key string, g *album) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.groups[key] == g {
		delete(a.groups, key)
	}
}

// FlushChat flushes at once, oldest first, the albums still being gathered
// in chat (a chatRef key), so that a message sent after an album is handled
// after it.
func (a *albums) FlushChat(ctx context.Context, chat string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var ready []*album
	for key, g := range a.groups {
		if g.chat == chat {
			ready = append(ready, g)
			delete(a.groups, key)
		}
	}
	slices.SortFunc(ready, func(x, y *album) int { return cmp.Compare(x.seq, y.seq) })
	for _, g := range ready {
		a.flush(ctx, g.msgs)
	}
}

// Wait waits for every album goroutine to end (they end with their ctx).
func (a *albums) Wait() { a.wg.Wait() }
