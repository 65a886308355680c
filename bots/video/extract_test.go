package video_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/video"
	"github.com/qwenbot/qwenbot/bots/video/videotest"
)

func newExtractor(t *testing.T, cfg video.Config) *video.Extractor {
	t.Helper()
	cfg.FFmpeg = videotest.FFmpeg(t)
	if cfg.TempDir == "" {
		cfg.TempDir = t.TempDir()
	}
	cfg.Log = slog.New(slog.DiscardHandler)
	return video.New(cfg)
}

func TestFramesFormats(t *testing.T) {
	tests := []struct {
		name       string
		spec       videotest.Spec
		wantFrames int
		wantFPS    float64
		w, h       int
	}{
		{"mp4 at the default 2 fps", videotest.Spec{Format: "mp4", Width: 320, Height: 240, Seconds: 3}, 6, 2, 320, 240},
		{"short gif raised to four frames", videotest.Spec{Format: "gif", Width: 96, Height: 64, Seconds: 1}, 4, 4, 96, 64},
		{"webm", videotest.Spec{Format: "webm", Width: 160, Height: 120, Seconds: 2}, 4, 2, 160, 120},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newExtractor(t, video.Config{})
			clip, err := x.Frames(context.Background(), videotest.Clip(t, tt.spec), video.Options{})
			if err != nil {
				t.Fatalf("Frames: %v", err)
			}
			if len(clip.Frames) != tt.wantFrames || clip.FPS != tt.wantFPS {
				t.Errorf("%d frames at %g fps, want %d at %g", len(clip.Frames), clip.FPS, tt.wantFrames, tt.wantFPS)
			}
			for i, f := range clip.Frames {
				cfg, err := jpeg.DecodeConfig(bytes.NewReader(f))
				if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
					t.Fatalf("frame %d: %dx%d, %v; want %dx%d JPEG", i, cfg.Width, cfg.Height, err, tt.w, tt.h)
				}
			}
		})
	}
}

func TestFramesBudgets(t *testing.T) {
	x := newExtractor(t, video.Config{MaxFrames: 8})
	data := videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 640, Height: 360, Seconds: 10, Rate: 4})
	clip, err := x.Frames(context.Background(), data, video.Options{FramePixels: 640 * 360, TotalPixels: 8 * 160 * 90})
	if err != nil {
		t.Fatalf("Frames: %v", err)
	}
	if len(clip.Frames) > 8 || len(clip.Frames) < 7 || clip.FPS != 0.8 {
		t.Errorf("%d frames at %g fps, want 8 at 0.8 (the cap over 10 s)", len(clip.Frames), clip.FPS)
	}
	if px := clip.Width * clip.Height; px > 160*90 || clip.Width*9 != clip.Height*16 {
		t.Errorf("frame %dx%d: over the total budget's share or not 16:9", clip.Width, clip.Height)
	}
}

func TestFramesLimitsAndFailures(t *testing.T) {
	clip := videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 64, Height: 48, Seconds: 3})
	tests := []struct {
		name string
		cfg  video.Config
		data []byte
		want error
	}{
		{"too long", video.Config{MaxDuration: 2 * time.Second}, clip, video.ErrTooLong},
		{"too large", video.Config{MaxBytes: int64(len(clip) - 1)}, clip, video.ErrTooLarge},
		{"corrupt", video.Config{}, bytes.Repeat([]byte("not a video "), 100), video.ErrUnreadable},
		{"truncated", video.Config{}, clip[:len(clip)/3], video.ErrUnreadable},
		{"playlist naming a local file", video.Config{},
			[]byte("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n"), video.ErrUnreadable},
		{"empty", video.Config{}, nil, video.ErrUnreadable},
		{"tiny gif claiming a huge picture", video.Config{}, hugeGIF(t), video.ErrUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.TempDir = t.TempDir()
			x := newExtractor(t, tt.cfg)
			_, err := x.Frames(context.Background(), tt.data, video.Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err %v, want %v", err, tt.want)
			}
			var le *video.LimitError
			if (tt.want == video.ErrTooLong || tt.want == video.ErrTooLarge) != errors.As(err, &le) {
				t.Errorf("LimitError: %v", err)
			}
			if left, _ := os.ReadDir(tt.cfg.TempDir); len(left) != 0 {
				t.Errorf("temp files left: %v", left)
			}
		})
	}
}

// hugeGIF is a 1×1 GIF whose logical screen claims 60000×60000 pixels.
func hugeGIF(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	img := image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Black, color.White})
	if err := gif.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	binary.LittleEndian.PutUint16(out[6:], 60000)
	binary.LittleEndian.PutUint16(out[8:], 60000)
	return out
}

func TestFramesNoFFmpeg(t *testing.T) {
	x := video.New(video.Config{FFmpeg: "/nonexistent/ffmpeg"})
	if err := x.Available(); !errors.Is(err, video.ErrNoFFmpeg) {
		t.Errorf("Available: %v", err)
	}
	if _, err := x.Frames(context.Background(), []byte("x"), video.Options{}); !errors.Is(err, video.ErrNoFFmpeg) {
		t.Errorf("Frames: %v", err)
	}
}

func TestFramesTimeout(t *testing.T) {
	x := newExtractor(t, video.Config{Timeout: time.Nanosecond})
	data := videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 64, Height: 48, Seconds: 1})
	if _, err := x.Frames(context.Background(), data, video.Options{}); !errors.Is(err, video.ErrTimeout) {
		t.Errorf("err %v, want ErrTimeout", err)
	}
}
