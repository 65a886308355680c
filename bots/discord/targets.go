package discord

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
)

// A message "Explain this" was used on is remembered for targetTTL (a
// modal is submitted within the interaction's 15 minutes), at most
// maxTargets of them.
const (
	targetTTL  = 15 * time.Minute
	maxTargets = 1000
)

// targets remembers the messages "Explain this" was used on until their
// modal is submitted. A modal submitted to another replica (or after a
// restart) finds nothing here, and the message is fetched through REST
// instead. It is safe for concurrent use.
type targets struct {
	clock bots.Clock
	// fetch loads a message through REST.
	fetch func(ctx context.Context, channel, id string) (*discordgo.Message, error)

	mu sync.Mutex
	m  map[string]target // by channel/id
}

// target is a remembered message and when it was put.
type target struct {
	msg *discordgo.Message
	at  time.Time
}

// newTargets returns an empty cache fetching misses through s.
func newTargets(s *discordgo.Session, clock bots.Clock) *targets {
	return &targets{clock: clock, m: map[string]target{}, fetch: func(ctx context.Context, channel, id string) (*discordgo.Message, error) {
		return s.ChannelMessage(channel, id, discordgo.WithContext(ctx))
	}}
}

// put remembers m, a message of channel, forgetting expired ones and, when
// full, the oldest.
func (ts *targets) put(channel string, m *discordgo.Message) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	now := ts.clock.Now()
	oldest := ""
	for k, t := range ts.m {
		if now.Sub(t.at) >= targetTTL {
			delete(ts.m, k)
		} else if oldest == "" || t.at.Before(ts.m[oldest].at) {
			oldest = k
		}
	}
	if len(ts.m) >= maxTargets {
		delete(ts.m, oldest)
	}
	ts.m[channel+"/"+m.ID] = target{msg: m, at: now}
}

// get returns message id of channel: the remembered copy, else from REST.
func (ts *targets) get(ctx context.Context, channel, id string) (*discordgo.Message, error) {
	ts.mu.Lock()
	t, ok := ts.m[channel+"/"+id]
	ts.mu.Unlock()
	if ok && ts.clock.Now().Sub(t.at) < targetTTL {
		return t.msg, nil
	}
	m, err := ts.fetch(ctx, channel, id)
	if err != nil {
		return nil, fmt.Errorf("fetch message %s: %w", id, err)
	}
	return m, nil
}
