// Package videotest makes small clips for tests with the ffmpeg on PATH,
// so no binary clip is committed.
package videotest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// FFmpeg returns the path of ffmpeg. Without one it skips the test, except
// under CI (CI=true), where the test fails: CI installs ffmpeg.
func FFmpeg(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("ffmpeg")
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("ffmpeg is required under CI: %v", err)
	}
	tb.Skipf("ffmpeg not installed: %v", err)
	return ""
}

// Spec describes a clip: a white board on which a dark bar (a stroke of
// a drawn problem) moves, with a small test pattern in a corner.
type Spec struct {
	// Format is "mp4" (MPEG-4 part 2, which every ffmpeg build encodes),
	// "webm" or "gif".
	Format        string
	Width, Height int
	Seconds       float64
	// Rate is frames per second; 0 means 5.
	Rate int
}

// Clip encodes a clip per s and returns its bytes.
func Clip(tb testing.TB, s Spec) []byte {
	tb.Helper()
	ff := FFmpeg(tb)
	if s.Rate == 0 {
		s.Rate = 5
	}
	out := filepath.Join(tb.TempDir(), "clip."+s.Format)
	src := fmt.Sprintf("color=c=white:s=%dx%d:r=%d:d=%g", s.Width, s.Height, s.Rate, s.Seconds)
	vf := fmt.Sprintf("drawbox=x='mod(t*%d,%d)':y=%d:w=%d:h=%d:color=black:t=fill,drawgrid=w=%d:h=%d:t=1:c=gray",
		s.Width/2, max(s.Width/2, 1), s.Height/3, max(s.Width/8, 2), max(s.Height/10, 2), max(s.Width/4, 2), max(s.Height/4, 2))
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", src, "-vf", vf}
	switch s.Format {
	case "mp4":
		args = append(args, "-c:v", "mpeg4", "-q:v", "5", "-pix_fmt", "yuv420p")
	case "webm":
		args = append(args, "-c:v", "libvpx", "-b:v", "200k")
	}
	args = append(args, "-y", out)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, ff, args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		tb.Fatalf("make %s clip: %v: %s", s.Format, err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
