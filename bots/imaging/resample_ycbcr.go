package imaging

import (
	"image"
	"image/color"
)

// The YCbCr resampler filters a JPEG's (or lossy WebP's) planes where
// they are, with the same Catmull-Rom filter, and converts to RGB once per
// output pixel. The conversion is linear, so filtering first gives what
// converting first would, up to rounding, for a third of the arithmetic: no
// alpha channel, and chroma filtered at its real (for 4:2:0, quarter)
// resolution instead of as replicated pixels. It never builds RGBA rows of
// the full-size source.

// planar reports whether resampleYCbCr handles m: a subsampling of at most
// 2 on each axis, with the chroma grid aligned to the bounds.
func planar(m *image.YCbCr) bool {
	hs, vs := chromaFactors(m.SubsampleRatio)
	return hs > 0 && m.Rect.Min.X%hs == 0 && m.Rect.Min.Y%vs == 0
}

// chromaFactors returns how many luma samples share a chroma sample
// horizontally and vertically, or 0, 0 for ratios resampleYCbCr leaves to
// the generic path.
func chromaFactors(r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 1, 1
	case image.YCbCrSubsampleRatio422:
		return 2, 1
	case image.YCbCrSubsampleRatio420:
		return 2, 2
	case image.YCbCrSubsampleRatio440:
		return 1, 2
	}
	return 0, 0
}

// plane is one channel of a YCbCr image: n.X×n.Y samples spread over
// span source pixels' width and height (in its own sample units).
type plane struct {
	pix          []uint8
	stride, off  int // off: the sample at the bounds' top-left corner
	n            image.Point
	spanX, spanY float64
}

// row returns row y of the plane.
func (p plane) row(y int) []uint8 {
	o := p.off + y*p.stride
	return p.pix[o : o+p.n.X]
}

// planes returns m's luma and chroma planes.
func planes(m *image.YCbCr) [3]plane {
	b := m.Rect
	hs, vs := chromaFactors(m.SubsampleRatio)
	sw, sh := b.Dx(), b.Dy()
	luma := plane{pix: m.Y, stride: m.YStride, off: m.YOffset(b.Min.X, b.Min.Y),
		n: image.Pt(sw, sh), spanX: float64(sw), spanY: float64(sh)}
	c := plane{stride: m.CStride, off: m.COffset(b.Min.X, b.Min.Y),
		n:     image.Pt((b.Max.X+hs-1)/hs-b.Min.X/hs, (b.Max.Y+vs-1)/vs-b.Min.Y/vs),
		spanX: float64(sw) / float64(hs), spanY: float64(sh) / float64(vs)}
	cb, cr := c, c
	cb.pix, cr.pix = m.Cb, m.Cr
	return [3]plane{luma, cb, cr}
}

// resampleYCbCr scales a planar YCbCr image to a new dw×dh opaque RGBA
// image, one output row at a time: each plane's contributing rows are
// filtered vertically into one row, which is filtered horizontally, so no
// intermediate image is kept. Rows are split between GOMAXPROCS
// goroutines, all finished on return.
func resampleYCbCr(src *image.YCbCr, dw, dh int) *image.RGBA {
	ps := planes(src)
	var fx, fy [3]filter
	for i, p := range ps {
		fx[i] = newFilterSpan(dw, p.n.X, p.spanX)
		fy[i] = newFilterSpan(dh, p.n.Y, p.spanY)
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	parallel(dh, func(lo, hi int) {
		var acc [3][]int32
		var col, out [3][]uint8
		for i, p := range ps {
			acc[i] = make([]int32, p.n.X)
			col[i] = make([]uint8, p.n.X)
			out[i] = make([]uint8, dw)
		}
		for y := lo; y < hi; y++ {
			for i, p := range ps {
				clear(acc[i])
				f := fy[i]
				for k := range f.count[y] {
					addRowFixed(acc[i], p.row(f.start[y]+k), f.fixed[y*f.stride+k])
				}
				roundRow(col[i], acc[i])
				scalePlaneRow(out[i], col[i], fx[i])
			}
			storeYCbCrRow(dst.Pix[y*dst.Stride:y*dst.Stride+4*dw], out[0], out[1], out[2])
		}
	})
	return dst
}

// roundRow rounds fixed-point samples into dst.
func roundRow(dst []uint8, acc []int32) {
	acc = acc[:len(dst)]
	for i, v := range acc {
		dst[i] = fixedTo8(v)
	}
}

// scalePlaneRow filters one row of single-channel samples horizontally,
// in fixed point.
func scalePlaneRow(dst, src []uint8, f filter) {
	for x := range dst {
		ws := f.fixed[x*f.stride : x*f.stride+f.count[x]]
		p := src[f.start[x]:]
		p = p[:len(ws)]
		var v int32
		for k, w := range ws {
			v += w * int32(p[k])
		}
		dst[x] = fixedTo8(v)
	}
}

// addRowFixed adds w times row to acc, in fixed point, eight samples per
// iteration.
func addRowFixed(acc []int32, row []uint8, w int32) {
	acc = acc[:len(row)]
	for len(row) >= 8 {
		a, r := acc[:8:8], row[:8:8]
		a[0] += w * int32(r[0])
		a[1] += w * int32(r[1])
		a[2] += w * int32(r[2])
		a[3] += w * int32(r[3])
		a[4] += w * int32(r[4])
		a[5] += w * int32(r[5])
		a[6] += w * int32(r[6])
		a[7] += w * int32(r[7])
		acc, row = acc[8:], row[8:]
	}
	for i, v := range row {
		acc[i] += w * int32(v)
	}
}

// fixedTo8 rounds a fixed-point sample to the nearest uint8, saturating.
func fixedTo8(v int32) uint8 {
	v = (v + 1<<(fixedBits-1)) >> fixedBits
	return uint8(min(max(v, 0), 255))
}

// storeYCbCrRow stores luma and chroma samples as opaque RGBA pixels.
func storeYCbCrRow(dst []uint8, ys, cbs, crs []uint8) {
	cbs, crs = cbs[:len(ys)], crs[:len(ys)]
	for x, yv := range ys {
		r, g, b := color.YCbCrToRGB(yv, cbs[x], crs[x])
		d := dst[x*4 : x*4+4 : x*4+4]
		d[0], d[1], d[2], d[3] = r, g, b, 0xFF
	}
}
