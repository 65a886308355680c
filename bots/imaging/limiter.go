package imaging

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"
)

// Defaults of NewLimiter for zero (or negative) arguments.
const (
	// DefaultDecodeMemory is the memory all decodes share (336 MiB): enough
	// for the largest image Options.MaxDecodeBytes admits (256 MiB decoded)
	// with the resampler's buffers, a rotation and the encoding at the
	// default pixel budget. Larger pixel budgets need more.
	DefaultDecodeMemory = 336 << 20
	// DefaultDecodeWait is how long Limiter.Prepare waits for memory
	// before it gives up with ErrBusy.
	DefaultDecodeWait = 30 * time.Second
)

// Limiter bounds the memory that preparing images takes across the whole
// process: every Limiter.Prepare reserves its estimated peak (the decoded
// pixels at their real size, the scaled copy, the resampler's buffers and
// the encoding) before decoding and returns it when done, so concurrent
// decodes never hold more than the limiter's size between them. An image
// whose estimate exceeds the whole size is refused with ErrTooLarge; one
// that waits longer than the wait bound gets ErrBusy.
//
// Create one per process and share it; a Limiter is safe for concurrent
// use. Waiters are served in arrival order.
type Limiter struct {
	sem  *semaphore.Weighted
	size int64
	wait time.Duration

	mu         sync.Mutex
	used, peak int64 // bytes reserved now and at most, for tests
}

// NewLimiter returns a Limiter of size bytes whose Prepare waits at most
// wait for memory. Zero or negative values take DefaultDecodeMemory and
// DefaultDecodeWait.
func NewLimiter(size int64, wait time.Duration) *Limiter {
	if size <= 0 {
		size = DefaultDecodeMemory
	}
	if wait <= 0 {
		wait = DefaultDecodeWait
	}
	return &Limiter{sem: semaphore.NewWeighted(size), size: size, wait: wait}
}

// Prepare is Prepare with the memory for the image reserved from l: it
// runs the checks that need no decoding, waits for the image's estimated
// peak memory (at most the limiter's wait bound, and never past ctx), then
// decodes and prepares it. Errors wrap those of Prepare, ErrBusy when the
// memory stayed taken too long, or ctx's error.
func (l *Limiter) Prepare(ctx context.Context, data []byte, declaredMIME string, opt Options) (Result, error) {
	opt = opt.withDefaults()
	in, err := open(data, declaredMIME, opt)
	if err != nil {
		return Result{}, err
	}
	release, err := l.acquire(ctx, in.workBytes(opt))
	if err != nil {
		return Result{}, fmt.Errorf("reserve memory for %s: %w", in.src.mime, err)
	}
	defer release()
	return in.prepare(opt)
}

// acquire reserves n bytes, waiting at most l.wait, and returns the
// function that gives them back.
func (l *Limiter) acquire(ctx context.Context, n int64) (func(), error) {
	if n > l.size {
		return nil, fmt.Errorf("%w: needs %d MiB to prepare, decode memory is %d MiB", ErrTooLarge, n>>20, l.size>>20)
	}
	wctx, cancel := context.WithTimeout(ctx, l.wait)
	defer cancel()
	if err := l.sem.Acquire(wctx, n); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("wait for decode memory: %w", context.Cause(ctx))
		}
		return nil, fmt.Errorf("%w: waited %v for %d MiB of decode memory", ErrBusy, l.wait, n>>20)
	}
	l.account(n)
	return func() {
		l.account(-n)
		if n >= l.size/collectFraction {
			runtime.GC()
		}
		l.sem.Release(n)
	}, nil
}

// collectFraction: releasing a reservation of at least 1/collectFraction
// of the limiter's size collects garbage before the memory is handed on.
// The collector sets its next goal at twice the heap it found live, which
// a large decode has just inflated: without this, the next decode's pixels
// would be allocated beside the last one's garbage, doubling the peak. A
// collection costs milliseconds here (pixels hold no pointers to scan),
// against the hundreds a decode this large takes.
const collectFraction = 4

// account adds n to the reserved bytes.
func (l *Limiter) account(n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.used += n
	l.peak = max(l.peak, l.used)
}
