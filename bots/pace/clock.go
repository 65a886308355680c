package pace

import "time"

// Clock tells time and makes timers. Tests inject a fake clock so pacing is
// deterministic without sleeping. Implementations must be safe for
// concurrent use.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives the time once d has passed.
	// Unreceived timers are garbage collected, so callers may drop them.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real wall clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
