package bots

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/qwenbot/qwenbot/bots/video"
	"github.com/qwenbot/qwenbot/llm"
)

// videoPlaceholder stands in the history for a clip: its frames are sent
// with its own turn only, so a chat's cost per turn stays bounded.
const videoPlaceholder = "[video]"

// Errors of a turn whose videos cannot be read for a reason of the bot's.
var (
	errVideoOff   = errors.New("video is turned off")
	errVideoModel = errors.New("model takes no video")
)

// preparedVideo is a clip of the new turn as frames.
type preparedVideo struct {
	clip video.Clip
	// pixels is max_pixels sent with each frame.
	pixels int
	tokens int
}

// part returns the clip as a request part.
func (v preparedVideo) part() llm.Part {
	frames := make([]llm.Image, len(v.clip.Frames))
	for i, f := range v.clip.Frames {
		frames[i] = llm.Image{MIME: "image/jpeg", Data: f}
	}
	return llm.VideoPart(frames, v.clip.FPS, v.pixels)
}

// prepareVideos reads the frames of the turn's clips, one at a time, each
// within the model's per-frame and total pixel budgets.
func (r *turnRun) prepareVideos(ctx context.Context) error {
	if len(r.t.Videos) == 0 {
		return nil
	}
	x := r.e.cfg.Video
	switch {
	case x == nil:
		return errVideoOff
	case !r.info.Video:
		return fmt.Errorf("%w: %s", errVideoModel, r.info.Name)
	}
	frame := r.info.FrameBudget(r.e.cfg.VideoFramePixels, 1)
	if frame <= 0 {
		frame = video.DefaultFramePixels
	}
	opt := video.Options{FramePixels: frame, TotalPixels: r.info.VideoTotalPixels, MinFramePixels: r.info.VideoMinPixels}
	patch := max(r.info.PatchSize, 28)
	r.videos = r.videos[:0]
	for i, up := range r.t.Videos {
		start := r.e.clock.Now()
		clip, err := x.Frames(ctx, up.Data, opt)
		if err != nil {
			return fmt.Errorf("prepare video %d: %w", i+1, err)
		}
		tokens := len(clip.Frames) * (clip.Width*clip.Height/(patch*patch) + 2)
		r.e.log.DebugContext(ctx, "prepared video", "chat", r.t.Chat, "bytes_in", len(up.Data),
			"frames", len(clip.Frames), "fps", clip.FPS, "size", fmt.Sprintf("%dx%d", clip.Width, clip.Height),
			"tokens", tokens, "took", r.e.clock.Now().Sub(start))
		r.videos = append(r.videos, preparedVideo{clip: clip, pixels: frame, tokens: tokens})
	}
	return nil
}

// chargedTokens is what the turn counts against the daily budgets: the
// model's count, else (a turn stopped before the model said what it
// used) at least the estimated tokens of its clips' frames, which were
// sent and read.
func (r *turnRun) chargedTokens() int {
	n := totalTokens(r.usage)
	if n > 0 || !r.streamed {
		return n
	}
	for _, v := range r.videos {
		n += v.tokens
	}
	return n
}

// storedText is the user's text as stored in history: a placeholder for
// each clip, then the text.
func (r *turnRun) storedText() string {
	if len(r.t.Videos) == 0 {
		return r.text()
	}
	return strings.Repeat(videoPlaceholder+" ", len(r.t.Videos)) + r.text()
}

// classifyVideo maps the errors of reading a turn's videos.
func classifyVideo(err error, c catalog) (failure, bool) {
	var lim *video.LimitError
	switch {
	case errors.As(err, &lim) && errors.Is(err, video.ErrTooLong):
		return failure{outcome: OutcomeBadImage, note: fmt.Sprintf(c.VideoTooLong, durationText(lim.Duration)), level: slog.LevelInfo}, true
	case errors.As(err, &lim):
		return failure{outcome: OutcomeBadImage, note: fmt.Sprintf(c.VideoTooLarge, sizeText(lim.Bytes)), level: slog.LevelInfo}, true
	case errors.Is(err, video.ErrUnreadable):
		return failure{outcome: OutcomeBadImage, note: c.VideoUnreadable, level: slog.LevelInfo}, true
	case errors.Is(err, video.ErrTimeout):
		return failure{outcome: OutcomeBadImage, note: c.VideoTimeout, level: slog.LevelWarn}, true
	case errors.Is(err, video.ErrNoFFmpeg):
		return failure{outcome: OutcomeMisconfigured, note: c.VideoNoFFmpeg, level: slog.LevelError}, true
	case errors.Is(err, errVideoOff):
		return failure{outcome: OutcomeBadImage, note: c.VideoOff, level: slog.LevelInfo}, true
	case errors.Is(err, errVideoModel):
		return failure{outcome: OutcomeBadImage, note: c.VideoModel, level: slog.LevelInfo}, true
	}
	return failure{}, false
}

// durationText writes a limit as "2 min", "90 s" or "1 min 30 s".
func durationText(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s%60 == 0:
		return fmt.Sprintf("%d min", s/60)
	}
	return fmt.Sprintf("%d min %d s", s/60, s%60)
}
