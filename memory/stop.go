package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// stopBuffer is how many stop requests a subscriber may have unread before
// newer ones are dropped for it.
const stopBuffer = 64

// Stop asks whichever replica runs a chat's turns to stop them: the turn
// with ID; else the turn of Holder (the holder of its lock, see
// TryLockFor); else every running turn of the chat. From names the replica
// that asked, so it can skip its own requests when they come back.
type Stop struct {
	Chat   string `json:"c"`
	ID     string `json:"id,omitempty"`
	Holder string `json:"h,omitempty"`
	From   string `json:"from,omitempty"`
}

// stopChannel is the Redis pub/sub channel of stop requests.
func (s *Store) stopChannel() string { return s.cfg.Prefix + "stop" }

// PublishStop sends the stop request st (st.Chat must be set) to every
// subscriber of Stops, in this process and others sharing the Redis.
func (s *Store) PublishStop(ctx context.Context, st Stop) error {
	if st.Chat == "" {
		return fmt.Errorf("publish stop: %w", errEmptyKey)
	}
	msg, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("publish stop: %w", err)
	}
	if err := s.rdb.Publish(ctx, s.stopChannel(), msg).Err(); err != nil {
		return fmt.Errorf("publish stop for %q: %w", st.Chat, err)
	}
	return nil
}

// Stops subscribes to stop requests and returns them on a channel. The
// subscription is active when Stops returns. A goroutine delivers the
// requests until ctx ends; it then closes the channel, so the caller waits
// for the close to know the goroutine is gone. Requests the caller does not
// read in time (a buffer of 64) are dropped. While Redis is unreachable,
// the subscription reconnects on its own; requests published meanwhile are
// lost.
func (s *Store) Stops(ctx context.Context) (<-chan Stop, error) {
	ps := s.rdb.Subscribe(ctx, s.stopChannel())
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return nil, fmt.Errorf("subscribe to stop requests: %w", err)
	}
	out := make(chan Stop, stopBuffer)
	msgs := ps.Channel()
	go func() {
		defer close(out)
		defer ps.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				var st Stop
				if err := json.Unmarshal([]byte(m.Payload), &st); err != nil || st.Chat == "" {
					s.log.WarnContext(ctx, "unreadable stop request", "err", err)
					continue
				}
				s.deliverStop(ctx, out, st)
			}
		}
	}()
	return out, nil
}

// deliverStop hands st to the subscriber, dropping it if the buffer is full.
func (s *Store) deliverStop(ctx context.Context, out chan<- Stop, st Stop) {
	select {
	case out <- st:
	default:
		s.log.WarnContext(ctx, "stop request dropped: subscriber is not reading", "chat", st.Chat)
	}
}

// Lockers returns how many holders hold a lock of chat (see TryLockFor).
func (s *Store) Lockers(ctx context.Context, chat string) (int, error) {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err != nil {
		return 0, fmt.Errorf("count chat locks: %w", err)
	}
	n, err := s.rdb.ZCount(ctx, k.lockers, "("+strconv.FormatInt(s.cfg.Now().UnixMilli(), 10), "+inf").Result()
	if err != nil {
		return 0, fmt.Errorf("count chat locks of %q: %w", chat, err)
	}
	return int(n), nil
}

// LockedFor reports whether someone holds the lock of holder in chat.
func (s *Store) LockedFor(ctx context.Context, chat, holder string) (bool, error) {
	k, err := newChatKeys(s.cfg.Prefix, chat)
	if err != nil {
		return false, fmt.Errorf("check chat lock: %w", err)
	}
	n, err := s.rdb.Exists(ctx, k.holderLock(holder)).Result()
	if err != nil {
		return false, fmt.Errorf("check chat lock of %q: %w", chat, err)
	}
	return n > 0, nil
}

// PublishStop sends the stop request st (st.Chat must be set) to every
// subscriber of Stops in this process.
func (e *Embedded) PublishStop(_ context.Context, st Stop) error {
	if st.Chat == "" {
		return fmt.Errorf("publish stop: %w", errEmptyKey)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for ch := range e.stops {
		select {
		case ch <- st:
		default:
			e.log.Warn("stop request dropped: subscriber is not reading", "chat", st.Chat)
		}
	}
	return nil
}

// Stops subscribes to the stop requests published in this process and
// returns them on a channel, closed once ctx ends. Requests the caller does
// not read in time (a buffer of 64) are dropped.
func (e *Embedded) Stops(ctx context.Context) (<-chan Stop, error) {
	ch := make(chan Stop, stopBuffer)
	e.mu.Lock()
	if e.stops == nil {
		e.stops = make(map[chan Stop]struct{})
	}
	e.stops[ch] = struct{}{}
	e.mu.Unlock()
	context.AfterFunc(ctx, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.stops, ch)
		close(ch)
	})
	return ch, nil
}

// Lockers returns how many holders hold a lock of chat (see TryLockFor).
func (e *Embedded) Lockers(_ context.Context, chat string) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	n := 0
	for key, held := range e.locks {
		if embeddedLockChat(key) == chat && !expired(held.exp, now) {
			n++
		}
	}
	return n, nil
}

// LockedFor reports whether someone holds the lock of holder in chat.
func (e *Embedded) LockedFor(_ context.Context, chat, holder string) (bool, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	held, ok := e.locks[embeddedLockKey(chat, holder)]
	return ok && !expired(held.exp, e.now()), nil
}
