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

// smoothYCbCr returns a w×h YCbCr image of smooth luma and chroma
// gradients with subsampling ratio r.
func smoothYCbCr(w, h int, r image.YCbCrSubsampleRatio) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), r)
	for y := range h {
		for x := range w {
			m.Y[m.YOffset(x, y)] = uint8(40 + x)
			m.Cb[m.COffset(x, y)] = uint8(70 + y)
			m.Cr[m.COffset(x, y)] = uint8(100 + x/2)
		}
	}
	return m
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
	ycc := smoothYCbCr(160, 120, image.YCbCrSubsampleRatio420)
	// The YCbCr path rounds the filtered luma and chroma before converting
	// them to RGB: one more level of difference.
	tests := []struct {
		name   string
		src    image.Image
		dw, dh int
		tol    int
	}{
		{"shrink non-integer", smooth(97, 61), 40, 25, 1},
		{"shrink by 2", smooth(200, 100), 100, 50, 1},
		{"shrink by 7", smooth(280, 140), 40, 20, 1},
		{"same size", smooth(64, 48), 64, 48, 1},
		{"one axis", smooth(50, 30), 50, 10, 1},
		{"to one pixel", smooth(30, 20), 1, 1, 1},
		{"ycbcr", ycc, 70, 52, 2},
		{"ycbcr 4:2:0 odd size", smoothYCbCr(161, 121, image.YCbCrSubsampleRatio420), 70, 53, 2},
		{"ycbcr 4:2:2", smoothYCbCr(160, 120, image.YCbCrSubsampleRatio422), 70, 52, 2},
		{"ycbcr 4:4:4", smoothYCbCr(160, 120, image.YCbCrSubsampleRatio444), 70, 52, 2},
		{"ycbcr 4:4:0", smoothYCbCr(160, 120, image.YCbCrSubsampleRatio440), 70, 52, 2},
		{"ycbcr 4:1:1 (generic path)", smoothYCbCr(160, 120, image.YCbCrSubsampleRatio411), 70, 52, 1},
		{"ycbcr sub-image", ycc.SubImage(image.Rect(10, 6, 150, 110)), 61, 45, 2},
		{"gray", gray, 33, 25, 1},
		{"sub-image bounds", offset, 45, 31, 1},
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
			if maxDiff > max(tt.tol, 1) || mean > 0.6 {
				t.Errorf("differs from x/image/draw: max %d, mean %.2f per sample", maxDiff, mean)
			}
		})
	}
}
