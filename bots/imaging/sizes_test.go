package imaging

import (
	"math"
	"testing"
)

func TestFitPixels(t *testing.T) {
	tests := []struct {
		name         string
		w, h, max    int
		wantW, wantH int
	}{
		{"within budget", 1280, 960, DefaultMaxPixels, 1280, 960},
		{"exactly the budget", 2048, 1280, DefaultMaxPixels, 2048, 1280},
		{"12MP landscape", 4000, 3000, DefaultMaxPixels, 1869, 1402},
		{"12MP portrait", 3000, 4000, DefaultMaxPixels, 1402, 1869},
		{"48MP", 8064, 6048, DefaultMaxPixels, 1869, 1402},
		{"square", 5000, 5000, DefaultMaxPixels, 1619, 1619},
		{"panorama", 1000, 100, 10_000, 310, 31},
		{"one-pixel strip", 10, 5000, 1000, 1, 500},
		{"wide one-pixel strip", 100_000, 1, 1000, 1000, 1},
		{"one pixel", 1, 1, 1, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := fitPixels(tt.w, tt.h, tt.max)
			if w != tt.wantW || h != tt.wantH {
				t.Errorf("fitPixels(%d, %d, %d) = %dx%d, want %dx%d", tt.w, tt.h, tt.max, w, h, tt.wantW, tt.wantH)
			}
		})
	}
}

// TestFitPixelsProperties checks the budget, the aspect ratio and the use of
// the budget over a grid of sizes.
func TestFitPixelsProperties(t *testing.T) {
	const budget = DefaultMaxPixels
	for w := 1700; w <= 9000; w += 331 {
		for h := 1500; h <= 9000; h += 277 {
			fw, fh := fitPixels(w, h, budget)
			if w*h <= budget {
				continue
			}
			if fw*fh > budget {
				t.Errorf("%dx%d → %dx%d: %d px over budget", w, h, fw, fh, fw*fh)
			}
			if r := (float64(fw) / float64(fh)) / (float64(w) / float64(h)); math.Abs(r-1) > 0.001 {
				t.Errorf("%dx%d → %dx%d: aspect off by %.3f%%", w, h, fw, fh, 100*math.Abs(r-1))
			}
			if fw*fh < budget*99/100 {
				t.Errorf("%dx%d → %dx%d: uses under 99%% of the budget", w, h, fw, fh)
			}
		}
	}
}

func TestTokens(t *testing.T) {
	qwen25 := Options{PatchSize: 28, MinPixels: 3136, MaxPixels: 1_003_520}.withDefaults()
	tests := []struct {
		name string
		w, h int
		opt  Options
		want int
	}{
		{"1x1 counts as min_pixels", 1, 1, DefaultOptions(), 64},
		{"256x256 is min_pixels", 256, 256, DefaultOptions(), 64},
		{"rounds to nearest patch", 1000, 500, DefaultOptions(), 31 * 16},
		{"halves round to even", 80, 1200, DefaultOptions(), 2 * 38},
		{"default budget output", 1869, 1402, DefaultOptions(), 58 * 44},
		{"over budget after rounding", 2048, 1296, DefaultOptions(), 64 * 40},
		{"qwen2.5 patch 28", 1000, 700, qwen25, 36 * 25},
		{"qwen2.5 over its budget", 2000, 1000, qwen25, 50 * 25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokens(tt.w, tt.h, tt.opt); got != tt.want {
				t.Errorf("tokens(%d, %d) = %d, want %d", tt.w, tt.h, got, tt.want)
			}
		})
	}
}

func TestDataURILen(t *testing.T) {
	tests := []struct {
		mime string
		n    int
		want string
	}{
		{"image/jpeg", 3, "data:image/jpeg;base64,/9j/"},
		{"image/png", 0, "data:image/png;base64,"},
		{"image/png", 2, "data:image/png;base64,YWI="},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := dataURILen(tt.mime, tt.n); got != len(tt.want) {
				t.Errorf("dataURILen(%q, %d) = %d, want %d", tt.mime, tt.n, got, len(tt.want))
			}
		})
	}
}
