package main

import (
	"context"
	"fmt"
	"os"

	"github.com/qwenbot/qwenbot/bots/video"
	"github.com/qwenbot/qwenbot/llm"
)

// videoParts reads the clips' frames for the model, as a chat does.
func videoParts(ctx context.Context, files []string, cfg Config, info llm.ModelInfo) ([]llm.Part, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if !cfg.Video.Enabled {
		return nil, usageError{fmt.Errorf("ask: --video given but video.enabled is false")}
	}
	if len(files) > cfg.Video.MaxPerMessage {
		return nil, usageError{fmt.Errorf("ask: %d videos given, at most %d allowed (video.max_per_message)", len(files), cfg.Video.MaxPerMessage)}
	}
	x := video.New(video.Config{FFmpeg: cfg.Video.FFmpeg, MaxDuration: cfg.Video.MaxDuration, MaxBytes: cfg.Video.MaxBytes,
		MaxFrames: cfg.Video.MaxFrames, Timeout: cfg.Video.Timeout, Parallel: 1})
	frame := info.FrameBudget(cfg.Video.FramePixels, 1)
	if frame <= 0 {
		frame = video.DefaultFramePixels
	}
	opt := video.Options{FramePixels: frame, TotalPixels: info.VideoTotalPixels, MinFramePixels: info.VideoMinPixels}
	var parts []llm.Part
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, usageError{fmt.Errorf("ask: read video: %w", err)}
		}
		clip, err := x.Frames(ctx, data, opt)
		if err != nil {
			return nil, fmt.Errorf("ask: video %s: %w", f, err)
		}
		frames := make([]llm.Image, len(clip.Frames))
		for i, fr := range clip.Frames {
			frames[i] = llm.Image{MIME: "image/jpeg", Data: fr}
		}
		parts = append(parts, llm.VideoPart(frames, clip.FPS, frame))
	}
	return parts, nil
}
