package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
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

// TestResampleYCbCrQuality compares both resamplers on a photographed
// page with sharp strokes against x/image/draw's Catmull-Rom, by PSNR in
// dB of luma (the strokes) and of all channels. Luma is filtered alike;
// chroma differs because x/image/draw filters replicated chroma pixels
// where the plane resampler filters the chroma samples themselves.
func TestResampleYCbCrQuality(t *testing.T) {
	src := photo(1200, 900)
	dw, dh := fitPixels(1200, 900, 250_000)
	ref := image.NewRGBA(image.Rect(0, 0, dw, dh))
	xdraw.CatmullRom.Scale(ref, ref.Rect, src, src.Bounds(), xdraw.Src, nil)
	planes, rows := resampleYCbCr(src, dw, dh), resampleRows(src, dw, dh)
	lp, lr := psnr(planes, ref, luma), psnr(rows, ref, luma)
	cp, cr := psnr(planes, ref, rgb), psnr(rows, ref, rgb)
	t.Logf("PSNR against x/image/draw: luma %.1f dB (RGBA rows %.1f), RGB %.1f dB (%.1f)", lp, lr, cp, cr)
	if lp < lr-1 || cp < 45 {
		t.Errorf("plane resampler: luma %.1f dB, RGB %.1f dB; want luma within 1 dB of %.1f and RGB over 45", lp, cp, lr)
	}
}

// luma and rgb are the samples psnr compares: a pixel's luma, or its
// three colour channels.
func luma(p []uint8) []float64 {
	return []float64{0.299*float64(p[0]) + 0.587*float64(p[1]) + 0.114*float64(p[2])}
}

func rgb(p []uint8) []float64 { return []float64{float64(p[0]), float64(p[1]), float64(p[2])} }

// encodedPSNR encodes img as Prepare does, decodes it and returns the
// PSNR of its luma and of its RGB against ref, and its size in bytes.
func encodedPSNR(t *testing.T, img image.Image, ref *image.RGBA) (float64, float64, int) {
	t.Helper()
	out, err := encodeImage(img, DefaultQuality)
	if err != nil {
		t.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	got := toRGBA(m)
	return psnr(got, ref, luma), psnr(got, ref, rgb), len(out)
}

// psnr returns the peak signal-to-noise ratio of a against b over the
// samples of each pixel that of picks.
func psnr(a, b *image.RGBA, of func([]uint8) []float64) float64 {
	var se float64
	n := 0
	for i := 0; i < len(a.Pix); i += 4 {
		sa, sb := of(a.Pix[i:i+4]), of(b.Pix[i:i+4])
		for k := range sa {
			se += (sa[k] - sb[k]) * (sa[k] - sb[k])
			n++
		}
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}
