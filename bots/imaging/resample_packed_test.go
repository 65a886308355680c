package imaging

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"
)

// TestPackedMatchesPlanes checks that filtering the chroma planes packed
// together, and the luma of two rows at once, gives each plane's and each
// row's own filtering exactly, on noise (which makes the filter overshoot
// and clamp) at each subsampling, onto 4:4:4 and 4:2:0 outputs.
func TestPackedMatchesPlanes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, r := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio444} {
		src := image.NewYCbCr(image.Rect(0, 0, 301, 203), r)
		for _, p := range [][]uint8{src.Y, src.Cb, src.Cr} {
			for i := range p {
				p[i] = uint8(rng.UintN(256))
			}
		}
		for _, to := range []scaleTo{scale444, scale420} {
			for _, size := range []image.Point{{120, 81}, {290, 200}, {301, 203}} {
				s := newYCbCrScaler(src, size.X, size.Y, to)
				s.scaleAll()
				got := s.ycc
				acc, col := make([]int32, s.ps[0].n.X), make([]uint8, s.ps[0].n.X)
				for i, want := range [][]uint8{got.Y, got.Cb, got.Cr} {
					f, n, w, stride := s.fy[i], s.ps[i].n.X, len(s.fx[i].start), got.YStride
					if i > 0 {
						stride = got.CStride
					}
					out := make([]uint8, w)
					for y := range f.start {
						filterRows(col[:n], acc[:n], s.ps[i], f.start[y], f.fixed[y*f.stride:y*f.stride+f.count[y]])
						scalePlaneRow(out, col[:n], s.fx[i])
						if !bytes.Equal(out, want[y*stride:y*stride+w]) {
							t.Fatalf("%v to %v (%v): plane %d, row %d differs from filtering the plane's row alone", r, size, to, i, y)
						}
					}
				}
			}
		}
	}
}
