package llm

import (
	"errors"
	"fmt"
	"strings"
)

// Frame-list bounds. seeds/003 gives fps "取值范围为 [0.1, 10]". The seeds
// give no bounds on the number of frames. DashScope's Qwen-VL reference
// (help.aliyun.com, tongyi-qianwen-vl-plus-api; its text is quoted in
// public copies, e.g. the dashscope4j SDK's Content.ofVideo) says of a
// video passed as an image list "最少传入4张图片，最多可传入768张图片";
// the Omni models' pages give 2 to 2,048 (Qwen3.5-Omni) and 4 to 80
// (qwen-omni-turbo). The current Qwen3-VL page's cap could not be read
// here. qwenbot keeps within 4 to 512, inside the Qwen-VL bounds quoted;
// the default is 32 (video.max_frames).
const (
	MinVideoFPS    = 0.1
	MaxVideoFPS    = 10
	MinVideoFrames = 4
	MaxVideoFrames = 512
)

// Video is a clip sent as a list of frames ("video": [frame, …] with
// "fps"), each frame an image sent as a data URI.
type Video struct {
	// Frames are the clip's frames in order, all of one size.
	Frames []Image
	// FPS is how many frames were taken per second of the clip, which
	// tells the model the time between frames.
	FPS float64
	// MaxPixels is max_pixels for each frame, clamped to the model's video
	// range; 0 = not sent (the model's default, 655,360 on Qwen3-VL).
	MaxPixels int
}

// VideoPart returns a video part of frames taken at fps.
func VideoPart(frames []Image, fps float64, maxPixels int) Part {
	return Part{Video: &Video{Frames: frames, FPS: fps, MaxPixels: maxPixels}}
}

func (v *Video) validate(other bool) error {
	var errs []error
	if other {
		errs = append(errs, errors.New("video set with text or image"))
	}
	if n := len(v.Frames); n < MinVideoFrames || n > MaxVideoFrames {
		errs = append(errs, fmt.Errorf("video of %d frames, want %d to %d", n, MinVideoFrames, MaxVideoFrames))
	}
	if v.FPS < MinVideoFPS || v.FPS > MaxVideoFPS {
		errs = append(errs, fmt.Errorf("video fps %g outside [%g, %g]", v.FPS, MinVideoFPS, float64(MaxVideoFPS)))
	}
	for i, f := range v.Frames {
		if !strings.HasPrefix(f.MIME, "image/") || len(f.Data) == 0 {
			errs = append(errs, fmt.Errorf("video frame %d: empty or not an image", i))
		}
	}
	return errors.Join(errs...)
}

// checkSizes returns an ErrImageTooLarge error for a frame whose data URI
// exceeds MaxDataURIBytes.
func (v *Video) checkSizes() error {
	for i := range v.Frames {
		if n := v.Frames[i].dataURILen(); n > MaxDataURIBytes {
			return fmt.Errorf("video frame %d: data uri of %d bytes exceeds %d: %w", i, n, MaxDataURIBytes, ErrImageTooLarge)
		}
	}
	return nil
}

// frameURIs returns the frames as refs's placeholders (data URIs when
// refs is nil).
func (v *Video) frameURIs(refs *imageRefs) []string {
	out := make([]string, len(v.Frames))
	for i := range v.Frames {
		out[i] = refs.ref(&v.Frames[i])
	}
	return out
}

// videoPixels bounds a frame's max_pixels to the model's video range; 0
// when either is unknown.
func videoPixels(want int, info ModelInfo) int {
	if want <= 0 || info.VideoMaxPixels == 0 {
		return 0
	}
	return max(info.VideoMinPixels, min(want, info.VideoMaxPixels))
}
