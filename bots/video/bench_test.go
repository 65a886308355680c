package video_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/video"
	"github.com/qwenbot/qwenbot/bots/video/videotest"
)

// BenchmarkFrames60s1080p reads the frames of a 60 s 1080p30 H.264 clip
// (or MPEG-4 part 2 where ffmpeg lacks libx264) for upload at the default
// settings. Besides time per clip it reports the Go heap allocated per
// clip and the peak RSS of any ffmpeg child (ffmpeg_MB).
func BenchmarkFrames60s1080p(b *testing.B) {
	ff := videotest.FFmpeg(b)
	path := filepath.Join(b.TempDir(), "bench.mp4")
	codec := []string{"-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2M", "-g", "60", "-pix_fmt", "yuv420p"}
	if exec.Command(ff, "-hide_banner", "-h", "encoder=libx264").Run() != nil {
		codec = []string{"-c:v", "mpeg4", "-b:v", "2M", "-g", "60"}
	}
	args := append([]string{"-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
		"testsrc2=size=1920x1080:rate=30:duration=60"}, codec...)
	if out, err := exec.Command(ff, append(args, "-y", path)...).CombinedOutput(); err != nil {
		b.Fatalf("make clip: %v: %s", err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	x := video.New(video.Config{FFmpeg: ff, TempDir: b.TempDir(), Timeout: time.Minute})
	var peak int64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		clip, err := x.Frames(context.Background(), data, video.Options{})
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, clip.PeakRSS)
		if len(clip.Frames) < 30 {
			b.Fatalf("%d frames", len(clip.Frames))
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "goalloc_MB/op")
	b.ReportMetric(float64(peak)/(1<<20), "ffmpeg_MB")
	b.ReportMetric(float64(len(data))/(1<<20), "clip_MB")
}
