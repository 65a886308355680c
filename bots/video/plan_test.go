package video

import (
	"testing"
	"time"
)

func TestMakePlan(t *testing.T) {
	tests := []struct {
		name          string
		d             time.Duration
		w, h, max     int
		o             Options
		fps           float64
		frames, fw, f int
	}{
		{"default rate fits", 5 * time.Second, 1280, 720, 32, Options{}, 2, 10, 1078, 606},
		{"long clip lowers the rate to the cap", 2 * time.Minute, 640, 480, 32, Options{}, 0.266, 32, 640, 480},
		{"rate never below 0.1", 10 * time.Minute, 640, 480, 32, Options{}, 0.1, 32, 640, 480},
		{"short clip raised to four frames", time.Second, 320, 240, 32, Options{}, 4, 4, 320, 240},
		{"rate never above 10", 100 * time.Millisecond, 320, 240, 32, Options{}, 10, 1, 320, 240},
		{"unknown duration", 0, 320, 240, 16, Options{}, 2, 16, 320, 240},
		{"total budget shared by frames", 16 * time.Second, 1920, 1080, 32, Options{FramePixels: 2048000, TotalPixels: 32 * 65536}, 2, 32, 340, 192},
		{"frame budget", 4 * time.Second, 3840, 2160, 32, Options{FramePixels: 655360}, 2, 8, 1078, 606},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := makePlan(tt.d, tt.w, tt.h, tt.max, tt.o)
			if p.fps != tt.fps || p.frames != tt.frames || p.width != tt.fw || p.height != tt.f {
				t.Errorf("plan %+v, want %g fps, %d frames, %dx%d", p, tt.fps, tt.frames, tt.fw, tt.f)
			}
		})
	}
}

func TestParseInfo(t *testing.T) {
	tests := []struct {
		name   string
		banner string
		ok     bool
		want   info
	}{
		{"mp4", "Input #0, mov,mp4, from 'x':\n  Duration: 00:01:02.50, start: 0.000000, bitrate: 1 kb/s\n" +
			"  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1920x1080 [SAR 1:1 DAR 16:9], 30 fps\n",
			true, info{duration: 62500 * time.Millisecond, width: 1920, height: 1080}},
		{"rotated phone clip", "  Duration: 00:00:03.00, start: 0\n  Stream #0:0: Video: h264, yuv420p, 1920x1080, 30 fps\n" +
			"    Side data:\n      displaymatrix: rotation of -90.00 degrees\n",
			true, info{duration: 3 * time.Second, width: 1080, height: 1920}},
		{"gif without duration", "  Duration: N/A, bitrate: N/A\n  Stream #0:0: Video: gif, bgra, 96x64, 5 fps\n",
			true, info{width: 96, height: 64}},
		{"cover art before the video", "  Duration: 00:00:04.00\n  Stream #0:0: Video: mjpeg, yuvj420p, 600x600, 90k tbr (attached pic)\n" +
			"  Stream #0:1: Video: h264, yuv420p, 640x360, 25 fps\n", true, info{duration: 4 * time.Second, width: 640, height: 360}},
		{"audio only", "  Duration: 00:00:03.00\n  Stream #0:0: Audio: aac, 44100 Hz, stereo\n", false, info{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseInfo(tt.banner)
			if ok != tt.ok || got != tt.want {
				t.Errorf("parseInfo = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
