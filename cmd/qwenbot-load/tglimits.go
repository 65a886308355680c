package main

import (
	"time"
)

// Telegram's limits as the fake Bot API enforces them.
const (
	// privatePerSecond and privateBurst: about one message per second per
	// private chat, with small bursts.
	privatePerSecond = 1.0
	privateBurst     = 3
	// groupPerMinute messages per rolling minute per group.
	groupPerMinute = 20
	// botPerSecond requests per second per bot overall.
	botPerSecond = 30.0
	// maxRetryAfter caps the escalating retry_after.
	maxRetryAfter = 60 * time.Second
	// forgiveAfter is the quiet time after a penalty that resets its
	// escalation.
	forgiveAfter = 30 * time.Second
)

// limit is a rate limit consulted at explicit times.
type limit interface {
	// wait returns how long until a request is allowed at now (0: now).
	wait(now time.Time) time.Duration
	// take records a request at now.
	take(now time.Time)
}

// bucket is a token bucket: rate tokens per second, at most burst.
type bucket struct {
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

// newBucket returns a full bucket.
func newBucket(rate float64, burst int) *bucket {
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

// refill adds the tokens earned since the last call.
func (b *bucket) refill(now time.Time) {
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	if b.last.IsZero() || now.After(b.last) {
		b.last = now
	}
}

func (b *bucket) wait(now time.Time) time.Duration {
	b.refill(now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

func (b *bucket) take(now time.Time) {
	b.refill(now)
	b.tokens--
}

// window allows at most size requests per rolling span.
type window struct {
	size  int
	span  time.Duration
	times []time.Time // oldest first
}

// newWindow returns an empty window allowing size requests per span.
func newWindow(size int, span time.Duration) *window {
	return &window{size: size, span: span, times: make([]time.Time, 0, size)}
}

func (w *window) prune(now time.Time) {
	i := 0
	for i < len(w.times) && !w.times[i].Add(w.span).After(now) {
		i++
	}
	w.times = append(w.times[:0], w.times[i:]...)
}

func (w *window) wait(now time.Time) time.Duration {
	w.prune(now)
	if len(w.times) < w.size {
		return 0
	}
	return w.times[0].Add(w.span).Sub(now)
}

func (w *window) take(now time.Time) {
	w.prune(now)
	w.times = append(w.times, now)
}

// penalty is a flood wait: until it ends every request in its scope is
// answered 429 with the time left. Each new penalty within forgiveAfter of
// the last one doubles, and doubles again if the bot kept sending during
// the last one, as Telegram does with a bot that keeps going.
type penalty struct {
	until time.Time
	level int
	kept  bool // a request came during the current penalty
}

// during reports whether now falls in the penalty, and the retry_after to
// answer.
func (p *penalty) during(now time.Time) (int, bool) {
	if !now.Before(p.until) {
		return 0, false
	}
	p.kept = true
	return secondsUntil(p.until, now), true
}

// impose starts a penalty for a request that came wait too early, and
// returns its retry_after.
func (p *penalty) impose(now time.Time, wait time.Duration) int {
	if now.Sub(p.until) > forgiveAfter {
		p.level, p.kept = 0, false
	}
	p.level++
	if p.kept {
		p.level++
	}
	p.kept = false
	p.until = now.Add(escalate(max(wait, time.Second), p.level))
	return secondsUntil(p.until, now)
}

// escalate doubles base per strike after the first, up to maxRetryAfter.
func escalate(base time.Duration, strikes int) time.Duration {
	d := base
	for i := 1; i < strikes && d < maxRetryAfter; i++ {
		d *= 2
	}
	return min(d, maxRetryAfter)
}

// secondsUntil is the whole seconds (rounded up, at least 1) from now to t.
func secondsUntil(t, now time.Time) int {
	d := t.Sub(now)
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// limiter holds one bot's limits: per chat and overall.
type limiter struct {
	global    *bucket
	globalPen penalty
}

// chatLimit is one chat's limit and flood wait.
type chatLimit struct {
	lim limit
	pen penalty
}

// newChatLimit returns the limit of a private chat or a group.
func newChatLimit(private bool) *chatLimit {
	if private {
		return &chatLimit{lim: newBucket(privatePerSecond, privateBurst)}
	}
	return &chatLimit{lim: newWindow(groupPerMinute, time.Minute)}
}

// admit decides a request at now: ok, or the retry_after of a 429. chat is
// nil for requests that count only towards the bot's overall limit (chat
// actions, callback answers, file lookups).
func (l *limiter) admit(now time.Time, chat *chatLimit) (int, bool) {
	if ra, in := l.globalPen.during(now); in {
		return ra, false
	}
	if chat != nil {
		if ra, in := chat.pen.during(now); in {
			return ra, false
		}
		if w := chat.lim.wait(now); w > 0 {
			return chat.pen.impose(now, w), false
		}
	}
	if w := l.global.wait(now); w > 0 {
		return l.globalPen.impose(now, w), false
	}
	if chat != nil {
		chat.lim.take(now)
	}
	l.global.take(now)
	return 0, true
}
