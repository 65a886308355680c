package telegram

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/journal"
)

// albums gathers the messages of media groups (albums) until no member has
// arrived for a quiet period, or until FlushChat asks for them, then hands
// the whole album to flush; an album still gathering when its context ends
// is handed to drop instead. flush and drop are called with the albums'
// lock held, so they must not block or call back into albums (the Bot's
// only queue the album, or mark its journal entries kept). It is safe for
// concurrent use; Wait waits for its goroutines.
type albums struct {
	clock bots.Clock
	flush func(ctx context.Context, parts []part)
	drop  func(parts []part)

	mu     sync.Mutex
	groups map[string]*album
	seq    uint64 // albums started so far, to flush a chat's in order
	wg     sync.WaitGroup
}

// part is one member of an album and its journal entry (nil when it has
// none).
type part struct {
	msg *rawMessage
	en  *journal.Entry
}

// album is one media group being gathered.
type album struct {
	chat  string // the chatRef key of the album's chat (and topic)
	seq   uint64
	parts []part
	last  time.Time     // when the newest member arrived
	quiet time.Duration // the longest quiet period its members asked for
}

func newAlbums(clock bots.Clock, flush func(context.Context, []part), drop func([]part)) *albums {
	return &albums{clock: clock, flush: flush, drop: drop, groups: make(map[string]*album)}
}

// albumKey names m's album: its chat and media group.
func albumKey(m *rawMessage) string {
	return strconv.FormatInt(chatOf(m).ID, 10) + "/" + m.MediaGroupID
}

// Add adds p, whose message has a media_group_id, to its album. The album
// is flushed once quiet (the longest any member asked for) has passed
// without a new member; if ctx ends first, the album is dropped.
func (a *albums) Add(ctx context.Context, p part, quiet time.Duration) {
	key := albumKey(p.msg)
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.clock.Now()
	if g, ok := a.groups[key]; ok {
		g.parts = append(g.parts, p)
		g.last, g.quiet = now, max(g.quiet, quiet)
		return
	}
	a.seq++
	g := &album{chat: chatOf(p.msg).Key(), seq: a.seq, parts: []part{p}, last: now, quiet: quiet}
	a.groups[key] = g
	a.wg.Add(1)
	go a.gather(ctx, key, g)
}

// gather waits until album g has been quiet for its quiet period, then
// flushes it. It ends early when FlushChat took the album.
func (a *albums) gather(ctx context.Context, key string, g *album) {
	defer a.wg.Done()
	for {
		a.mu.Lock()
		if a.groups[key] != g {
			a.mu.Unlock()
			return
		}
		wait := g.last.Add(g.quiet).Sub(a.clock.Now())
		if wait <= 0 {
			delete(a.groups, key)
			a.flush(ctx, g.parts)
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		select {
		case <-a.clock.After(wait):
		case <-ctx.Done():
			a.abandon(key, g)
			return
		}
	}
}

// abandon drops album g, unless it was flushed already.
func (a *albums) abandon(key string, g *album) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.groups[key] == g {
		delete(a.groups, key)
		a.drop(g.parts)
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
		a.flush(ctx, g.parts)
	}
}

// Wait waits for every album goroutine to end (they end with their ctx).
func (a *albums) Wait() { a.wg.Wait() }
