package main

import (
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/qwenbot/qwenbot/bots/video"
)

// validate lists the problems of the [video] section.
func (v VideoConfig) validate() []error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if v.Enabled && v.FFmpeg == "" {
		bad("video.ffmpeg: must name the ffmpeg binary (a path or a name on PATH)")
	}
	if v.MaxFrames < video.MinFrames || v.MaxFrames > video.MaxFrames {
		bad("video.max_frames: %d is not within [%d, %d]", v.MaxFrames, video.MinFrames, video.MaxFrames)
	}
	// At the lowest rate the API takes, 0.1 fps, the longest clip must
	// still fit the frame cap.
	if v.MaxDuration > 0 && v.MaxFrames > 0 && int(math.Ceil(v.MaxDuration.Seconds()*video.MinFPS)) > v.MaxFrames {
		bad("video.max_duration: %v needs more than video.max_frames = %d frames even at %g fps", v.MaxDuration, v.MaxFrames, video.MinFPS)
	}
	checkAll(&errs, isPositive, "must be positive", map[string]int{
		"video.max_per_message": v.MaxPerMessage, "video.parallel": v.Parallel,
	})
	checkAll(&errs, isNonNegative, "must not be negative", map[string]int{"video.frame_pixels": v.FramePixels})
	checkAll(&errs, isPositive, "must be positive", map[string]int64{"video.max_bytes": v.MaxBytes})
	checkAll(&errs, isPositive, "must be a positive duration", map[string]time.Duration{
		"video.max_duration": v.MaxDuration, "video.timeout": v.Timeout,
	})
	return errs
}

// videoExtractor returns the frame reader of the [video] section, or nil
// when video is off. A missing ffmpeg is logged as a warning and leaves the
// rest of the bot working: clips then get a notice.
func videoExtractor(cfg Config, log *slog.Logger) *video.Extractor {
	v := cfg.Video
	if !v.Enabled {
		return nil
	}
	x := video.New(video.Config{
		FFmpeg: v.FFmpeg, MaxDuration: v.MaxDuration, MaxBytes: v.MaxBytes, MaxFrames: v.MaxFrames,
		Timeout: v.Timeout, Parallel: v.Parallel, Log: log,
	})
	if err := x.Available(); err != nil {
		log.Warn("video is on but ffmpeg was not found: videos will get a notice; install ffmpeg or set video.ffmpeg",
			"ffmpeg", v.FFmpeg, "err", err)
	}
	return x
}
