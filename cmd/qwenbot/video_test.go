package main

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/video/videotest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

func TestVideoConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(v *VideoConfig)
		want string // "" = valid
	}{
		{"defaults", func(*VideoConfig) {}, ""},
		{"too few frames", func(v *VideoConfig) { v.MaxFrames = 3 }, "video.max_frames"},
		{"too many frames", func(v *VideoConfig) { v.MaxFrames = 513 }, "video.max_frames"},
		{"clip longer than the frame cap at 0.1 fps", func(v *VideoConfig) { v.MaxDuration = 10 * time.Minute; v.MaxFrames = 32 }, "video.max_duration"},
		{"no ffmpeg named", func(v *VideoConfig) { v.FFmpeg = "" }, "video.ffmpeg"},
		{"off needs no ffmpeg", func(v *VideoConfig) { v.Enabled, v.FFmpeg = false, "" }, ""},
		{"zero bytes", func(v *VideoConfig) { v.MaxBytes = 0 }, "video.max_bytes"},
		{"negative frame pixels", func(v *VideoConfig) { v.FramePixels = -1 }, "video.frame_pixels"},
		{"zero timeout", func(v *VideoConfig) { v.Timeout = 0 }, "video.timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg.Video)
			err := errors.Join(cfg.Video.validate()...)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want it to name %s", err, tt.want)
			}
		})
	}
}

func TestVideoExtractorWarnsWithoutFFmpeg(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	cfg := DefaultConfig()
	cfg.Video.FFmpeg = "/nonexistent/ffmpeg"
	if x := videoExtractor(cfg, log); x == nil || x.Available() == nil {
		t.Fatal("want an extractor that reports ffmpeg missing")
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "ffmpeg was not found") {
		t.Errorf("logs %q, want a warning", logs.String())
	}
	cfg.Video.Enabled = false
	if x := videoExtractor(cfg, log); x != nil {
		t.Error("video off: want no extractor")
	}
}

func TestAskWithVideo(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"It rolls."}, llm.Usage{TotalTokens: 9})})
	clip := filepath.Join(t.TempDir(), "clip.mp4")
	if err := os.WriteFile(clip, videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 96, Height: 64, Seconds: 2}), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runMain(t, fakeEnv(srv), "ask", "--video", clip, "what happens?")
	if code != exitOK || out != "It rolls.\n" {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	raw := string(srv.Requests()[0].Raw)
	if !strings.Contains(raw, `"video":["data:image/jpeg;base64,`) || !strings.Contains(raw, `"fps":2`) {
		t.Errorf("request lacks the frames: %.300s", raw)
	}
}
