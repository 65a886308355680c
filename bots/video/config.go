package video

import (
	"cmp"
	"log/slog"
	"os/exec"
	"time"
)

// Defaults for zero Config fields.
const (
	DefaultMaxDuration = 2 * time.Minute
	// DefaultMaxBytes is the Bot API's download limit.
	DefaultMaxBytes  = 20 << 20
	DefaultMaxFrames = 32
	DefaultTimeout   = 30 * time.Second
	DefaultParallel  = 2
	// DefaultFramePixels is Qwen3-VL's max_pixels default for video
	// frames (seeds/003: 655,360), used when Options name none.
	DefaultFramePixels = 655360
)

// Frame-list bounds: fps "取值范围为 [0.1, 10]" (seeds/003); MinFrames to
// MaxFrames frames per clip (see llm.MinVideoFrames for their source).
const (
	MinFPS    = 0.1
	MaxFPS    = 10
	MinFrames = 4
	MaxFrames = 512
	// defaultFPS is the API's own default frame rate ("默认值为2.0").
	defaultFPS = 2.0
)

// Config configures an Extractor. Zero fields take the defaults.
type Config struct {
	// FFmpeg is the ffmpeg binary: a path, or a name looked up on PATH;
	// "" means "ffmpeg".
	FFmpeg string
	// MaxDuration and MaxBytes bound the clips accepted.
	MaxDuration time.Duration
	MaxBytes    int64
	// MaxFrames caps the frames taken from one clip, at most MaxFrames.
	MaxFrames int
	// Timeout bounds each ffmpeg run.
	Timeout time.Duration
	// Parallel bounds the clips being read at once in the process; more
	// wait. With the frame cap it bounds the memory frames take.
	Parallel int
	// TempDir holds the clips while ffmpeg reads them; "" is os.TempDir.
	TempDir string
	// Log defaults to slog.Default.
	Log *slog.Logger
}

func (c Config) withDefaults() Config {
	c.FFmpeg = cmp.Or(c.FFmpeg, "ffmpeg")
	c.MaxDuration = cmp.Or(c.MaxDuration, DefaultMaxDuration)
	c.MaxBytes = cmp.Or(c.MaxBytes, DefaultMaxBytes)
	c.MaxFrames = min(max(cmp.Or(c.MaxFrames, DefaultMaxFrames), MinFrames), MaxFrames)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.Parallel = max(cmp.Or(c.Parallel, DefaultParallel), 1)
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c
}

// Extractor reads frames out of clips with ffmpeg. It is safe for
// concurrent use; at most Config.Parallel clips are read at once.
type Extractor struct {
	cfg     Config
	path    string // resolved ffmpeg, "" when missing
	lookErr error
	slots   chan struct{}
}

// New returns an Extractor, resolving the ffmpeg binary once. A missing
// ffmpeg is not an error here: Available reports it and Frames returns
// ErrNoFFmpeg, so everything else keeps working.
func New(cfg Config) *Extractor {
	cfg = cfg.withDefaults()
	x := &Extractor{cfg: cfg, slots: make(chan struct{}, cfg.Parallel)}
	x.path, x.lookErr = exec.LookPath(cfg.FFmpeg)
	return x
}

// Available returns nil when ffmpeg was found, else an error wrapping
// ErrNoFFmpeg with the cause.
func (x *Extractor) Available() error {
	if x.lookErr != nil {
		return &noFFmpegError{x.lookErr}
	}
	return nil
}

// Limits returns the largest clip accepted, in bytes and in duration.
func (x *Extractor) Limits() (maxBytes int64, maxDuration time.Duration) {
	return x.cfg.MaxBytes, x.cfg.MaxDuration
}

type noFFmpegError struct{ cause error }

func (e *noFFmpegError) Error() string { return "ffmpeg not available: " + e.cause.Error() }
func (e *noFFmpegError) Unwrap() []error {
	return []error{ErrNoFFmpeg, e.cause}
}
