package imaging

import (
	"image"
	"image/color"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// smooth returns a w×h image of gradients, alpha included: without sharp
// edges the filter never overshoots, so clamping of the 8-bit intermediate
// (an intended difference from x/image/draw) does not come into play.
func smooth(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(255 * x / w),
				G: uint8(255 * y / h),
				B: uint8(255 * (x + y) / (w + h)),
				A: uint8(128 + 127*x/w),
			})
		}
	}
	return img
}

// TestResampleMatchesXDraw checks the resampler against the reference
// Catmull-Rom of golang.org/x/image/draw: same kernel, centring, support
// widening and edge handling, up to rounding of the 8-bit intermediate.
func TestResampleMatchesXDraw(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 90, 70))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i % 90 * 2)
	}
	offset := smooth(120, 80).SubImage(image.Rect(10, 5, 110, 75))
	ycc := image.NewYCbCr(image.Rect(0, 0, 160, 120), image.YCbCrSubsampleRatio420)
	for y := range 120 {
		for x := range 160 {
			ycc.Y[ycc.YOffset(x, y)] = uint8(40 + x)
			ycc.Cb[ycc.COffset(x, y)] = uint8(70 + y)
			ycc.Cr[ycc.COffset(x, y)] = uint8(100 + x/2)
		}
	}
	tests := []struct {
		name   string
		src    image.Image
		dw, dh int
	}{
		{"shrink non-integer", smooth(97, 61), 40, 25},
		{"shrink by 2", smooth(200, 100), 100, 50},
		{"shrink by 7", smooth(280, 140), 40, 20},
		{"same size", smooth(64, 48), 64, 48},
		{"one axis", smooth(50, 30), 50, 10},
		{"to one pixel", smooth(30, 20), 1, 1},
		{"ycbcr", ycc, 70, 52},
		{"gray", gray, 33, 25},
		{"sub-image bounds", offset, 45, 31},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resample(tt.src, tt.dw, tt.dh)
			want := image.NewRGBA(image.Rect(0, 0, tt.dw, tt.dh))
			xdraw.CatmullRom.Scale(want, want.Rect, tt.src, tt.src.Bounds(), xdraw.Src, nil)
			if got.Rect != want.Rect {
				t.Fatalf("bounds %v, want %v", got.Rect, want.Rect)
			}
			// x/image/draw truncates its 16-bit result to 8 bits where
			// this rounds: expect a difference of at most one level.
			maxDiff, sum := 0, 0
			for i := range got.Pix {
				d := int(got.Pix[i]) - int(want.Pix[i])
				d = max(d, -d)
				maxDiff = max(maxDiff, d)
				sum += d
			}
			mean := float64(sum) / float64(len(got.Pix))
			if maxDiff > 1 || mean > 0.6 {
				t.Errorf("differs from x/image/draw: max %d, mean %.2f per sample", maxDiff, mean)
			}
		})
	}
}
