package video

import (
	"errors"
	"fmt"
	"time"
)

// Errors Frames returns; callers branch with errors.Is and errors.As.
var (
	// ErrNoFFmpeg: ffmpeg was not found, so no clip can be read.
	ErrNoFFmpeg = errors.New("ffmpeg not available")
	// ErrUnreadable: ffmpeg could not read the clip (corrupt, truncated,
	// not a video, or no video stream).
	ErrUnreadable = errors.New("video unreadable")
	// ErrTimeout: reading the clip took longer than Config.Timeout.
	ErrTimeout = errors.New("video took too long to read")
	// ErrTooLarge and ErrTooLong: the clip is over Config.MaxBytes or
	// Config.MaxDuration; the error is a *LimitError.
	ErrTooLarge = errors.New("video file too large")
	ErrTooLong  = errors.New("video too long")
)

// LimitError says which limit a clip is over. It matches ErrTooLarge or
// ErrTooLong with errors.Is.
type LimitError struct {
	// Kind is ErrTooLarge or ErrTooLong.
	Kind error
	// Bytes is the limit for ErrTooLarge; Duration for ErrTooLong.
	Bytes    int64
	Duration time.Duration
}

// Error describes the limit.
func (e *LimitError) Error() string {
	if e.Kind == ErrTooLong {
		return fmt.Sprintf("%v (limit %v)", e.Kind, e.Duration)
	}
	return fmt.Sprintf("%v (limit %d bytes)", e.Kind, e.Bytes)
}

// Unwrap returns Kind.
func (e *LimitError) Unwrap() error { return e.Kind }
