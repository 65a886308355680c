package main

import (
	"net/http/httptest"
	"testing"
	"time"
)

// at returns an arbitrary start of time plus d.
func at(d time.Duration) time.Time { return time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC).Add(d) }

func TestBucket(t *testing.T) {
	b := newBucket(1, 3)
	steps := []struct {
		name string
		at   time.Duration
		wait time.Duration
		take bool
	}{
		{"burst 1", 0, 0, true},
		{"burst 2", 0, 0, true},
		{"burst 3", 0, 0, true},
		{"empty", 0, time.Second, false},
		{"half refilled", 500 * time.Millisecond, 500 * time.Millisecond, false},
		{"refilled one", time.Second, 0, true},
		{"empty again", time.Second, time.Second, false},
		{"full after a long pause", time.Minute, 0, true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if got := b.wait(at(s.at)); got != s.wait {
				t.Fatalf("wait = %v, want %v", got, s.wait)
			}
			if s.take {
				b.take(at(s.at))
			}
		})
	}
}

func TestWindow(t *testing.T) {
	w := newWindow(20, time.Minute)
	for i := range 20 {
		if d := w.wait(at(time.Duration(i) * time.Second)); d != 0 {
			t.Fatalf("request %d waits %v", i+1, d)
		}
		w.take(at(time.Duration(i) * time.Second))
	}
	tests := []struct {
		name string
		at   time.Duration
		want time.Duration
	}{
		{"21st in the minute", 30 * time.Second, 30 * time.Second},
		{"just before the oldest leaves", 59 * time.Second, time.Second},
		{"once the oldest left", time.Minute, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := w.wait(at(tc.at)); got != tc.want {
				t.Errorf("wait = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestPenaltyEscalates(t *testing.T) {
	var p penalty
	steps := []struct {
		name   string
		at     time.Duration
		wait   time.Duration // > 0: a new violation, else a request
		want   int
		during bool
	}{
		{"first violation", 0, 300 * time.Millisecond, 1, false},
		{"request during it", 500 * time.Millisecond, 0, 1, true},
		{"over", 1500 * time.Millisecond, 0, 0, false},
		{"again soon, after keeping going", 2 * time.Second, time.Second, 4, false},
		{"again soon, having waited", 7 * time.Second, time.Second, 8, false},
		{"long wait left", 8 * time.Second, 0, 7, true},
		{"after a quiet spell", time.Hour, time.Second, 1, false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.wait > 0 {
				if ra := p.impose(at(s.at), s.wait); ra != s.want {
					t.Errorf("impose = %d, want %d", ra, s.want)
				}
				return
			}
			ra, in := p.during(at(s.at))
			if ra != s.want || in != s.during {
				t.Errorf("during = %d, %v; want %d, %v", ra, in, s.want, s.during)
			}
		})
	}
}

func TestEscalateCaps(t *testing.T) {
	if got := escalate(time.Second, 30); got != maxRetryAfter {
		t.Errorf("escalate = %v, want %v", got, maxRetryAfter)
	}
}

func TestLimiterAdmit(t *testing.T) {
	l := limiter{global: newBucket(botPerSecond, int(botPerSecond))}
	priv := newChatLimit(true)
	for i := range privateBurst {
		if _, ok := l.admit(at(0), priv); !ok {
			t.Fatalf("burst request %d refused", i+1)
		}
	}
	if ra, ok := l.admit(at(0), priv); ok || ra != 1 {
		t.Fatalf("over the burst: %d, %v; want 429 with retry_after 1", ra, ok)
	}
	if _, ok := l.admit(at(0), newChatLimit(true)); !ok {
		t.Fatal("another chat is refused by one chat's flood wait")
	}
	if ra, ok := l.admit(at(500*time.Millisecond), priv); ok || ra != 1 {
		t.Fatalf("during the flood wait: %d, %v; want 429 with retry_after 1", ra, ok)
	}
	if _, ok := l.admit(at(3*time.Second), priv); !ok {
		t.Fatal("refused after the flood wait")
	}
	// The bot overall: 30 per second, then every chat waits.
	for i := 0; ; i++ {
		_, ok := l.admit(at(10*time.Second), nil)
		if !ok {
			if i < int(botPerSecond) {
				t.Fatalf("refused after %d requests in a second", i)
			}
			break
		}
	}
	if _, ok := l.admit(at(10*time.Second), newChatLimit(false)); ok {
		t.Error("a fresh group is admitted during the bot's flood wait")
	}
}

func TestTooManyIsTelegramsAnswer(t *testing.T) {
	rec := httptest.NewRecorder()
	tooMany(7).write(rec)
	want := `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}`
	if rec.Code != 429 || rec.Body.String() != want {
		t.Errorf("got %d %s\nwant 429 %s", rec.Code, rec.Body.String(), want)
	}
}
