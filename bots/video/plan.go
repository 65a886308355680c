package video

import (
	"math"
	"time"
)

// plan is how a clip is sampled: the frame rate, the most frames, and the
// size every frame is scaled to inside ffmpeg.
type plan struct {
	fps           float64
	frames        int
	width, height int
}

// makePlan samples a clip of duration d (0 = unknown) and w×h pixels as
// displayed: the API's default 2 fps when the clip fits maxFrames, a lower
// rate when it does not, a higher one when it would give fewer than
// MinFrames, always within [MinFPS, MaxFPS]. Each frame keeps the clip's
// aspect ratio within the per-frame budget (framePixels, and totalPixels
// shared by the frames), never enlarged, with even sides.
func makePlan(d time.Duration, w, h, maxFrames int, o Options) plan {
	secs := d.Seconds()
	fps := defaultFPS
	if secs > 0 {
		if secs*fps > float64(maxFrames) {
			fps = float64(maxFrames) / secs
		}
		if secs*fps < MinFrames {
			fps = MinFrames / secs
		}
	}
	fps = math.Min(math.Max(fps, MinFPS), MaxFPS)
	// Round to 3 decimals for the ffmpeg filter and the request alike.
	fps = math.Max(math.Floor(fps*1000)/1000, MinFPS)
	n := maxFrames
	if secs > 0 {
		n = min(maxFrames, max(1, int(math.Ceil(secs*fps))))
	}
	px := cmpOr(o.FramePixels, DefaultFramePixels)
	if o.TotalPixels > 0 {
		px = min(px, o.TotalPixels/max(n, MinFrames))
	}
	px = max(px, o.MinFramePixels, 64*64)
	fw, fh := fit(w, h, px)
	return plan{fps: fps, frames: n, width: fw, height: fh}
}

// fit scales w×h down to at most px pixels, keeping the aspect ratio,
// with even sides of at least 2.
func fit(w, h, px int) (int, int) {
	s := 1.0
	if w*h > px {
		s = math.Sqrt(float64(px) / float64(w*h))
	}
	even := func(v float64) int { return max(2, int(v)/2*2) }
	return even(float64(w) * s), even(float64(h) * s)
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
