package imaging

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"
)

// TestPackedChromaMatchesPlanes checks that filtering the chroma planes
// packed together gives each plane's own filtering exactly, on noise
// (which makes the filter overshoot and clamp) at each subsampling.
func TestPackedChromaMatchesPlanes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio444} {
		src := image.NewYCbCr(image.Rect(0, 0, 301, 203), r)
		for _, p := range [][]uint8{src.Y, src.Cb, src.Cr} {
			for i := range p {
				p[i] = uint8(rng.UintN(256))
			}
		}
		for _, size := range []image.Point{{120, 81}, {290, 200}, {301, 203}} {
			got := resampleYCbCr444(src, size.X, size.Y)
			s := newYCbCrScaler(src, size.X, size.Y, true)
			acc, col, out := make([]int32, s.ps[1].n.X), make([]uint8, s.ps[1].n.X), make([]uint8, size.X)
			for y := range size.Y {
				for i, want := range [][]uint8{got.Cb, got.Cr} {
					f := s.fy[i+1]
					filterRows(col, acc, s.ps[i+1], f.start[y], f.fixed[y*f.stride:y*f.stride+f.count[y]])
					scalePlaneRow(out, col, s.fx[i+1])
					if !bytes.Equal(out, want[y*got.CStride:y*got.CStride+size.X]) {
						t.Fatalf("%v to %v: chroma plane %d, row %d differs from filtering the plane alone", r, size, i, y)
					}
				}
			}
		}
	}
}
