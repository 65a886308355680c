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
// image, one output row at a time (see ycbcrScaler). Rows are split
// between GOMAXPROCS goroutines, all finished on return.
func resampleYCbCr(src *image.YCbCr, dw, dh int) *image.RGBA {
	s := newYCbCrScaler(src, dw, dh, scaleRGBA)
	s.scaleAll()
	return s.rgba
}

// scaleTo is the kind of image a ycbcrScaler writes.
type scaleTo int

const (
	scaleRGBA scaleTo = iota // opaque RGBA
	scale444                 // 4:4:4 YCbCr
	scale420                 // 4:2:0 YCbCr, chroma filtered by halveFilter
)

// scaleFor returns the YCbCr a ycbcrScaler writes for the chroma of
// ratio: 4:2:0, else 4:4:4.
func scaleFor(ratio image.YCbCrSubsampleRatio) scaleTo {
	if ratio == image.YCbCrSubsampleRatio420 {
		return scale420
	}
	return scale444
}

// ycbcrScaler scales a planar YCbCr image one output row at a time into
// a 4:4:4 or 4:2:0 YCbCr or an RGBA image: each plane's contributing rows
// are filtered vertically into one row, which is filtered horizontally,
// so no intermediate image is kept. A 4:2:0 output's chroma row j is
// scaled with luma row 2j. Distinct rows may be scaled concurrently, each
// goroutine with its own ycbcrRowBuf.
type ycbcrScaler struct {
	ps     [3]plane
	fx, fy [3]filter
	vs     int          // luma rows per chroma row
	half   bool         // the output is 4:2:0
	ycc    *image.YCbCr // the output, when YCbCr
	rgba   *image.RGBA  // the output, when RGBA
}

// ycbcrRowBuf is one goroutine's scratch rows for ycbcrScaler.row.
type ycbcrRowBuf struct {
	acc        []int32 // luma
	col        []uint8 // luma
	accC, colC []int64 // chroma, packed
	accP, colP []int64 // luma of a pair of rows, packed
	pw         []int64 // a pair's packed weights
	out, out2  [3][]uint8
}

// newYCbCrScaler returns a scaler of src onto a new dw×dh image of the
// kind to.
func newYCbCrScaler(src *image.YCbCr, dw, dh int, to scaleTo) *ycbcrScaler {
	s := &ycbcrScaler{ps: planes(src), half: to == scale420}
	switch r := image.Rect(0, 0, dw, dh); to {
	case scale444:
		s.ycc = image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
	case scale420:
		s.ycc = image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	default:
		s.rgba = image.NewRGBA(r)
	}
	_, s.vs = chromaFactors(src.SubsampleRatio)
	for i, p := range s.ps {
		s.fx[i] = newFilterSpan(dw, p.n.X, p.spanX)
		s.fy[i] = newFilterSpan(dh, p.n.Y, p.spanY)
		if i > 0 && s.half {
			s.fx[i], s.fy[i] = halveFilter(s.fx[i]), halveFilter(s.fy[i])
		}
	}
	return s
}

// scaleAll scales every row, split between GOMAXPROCS goroutines, all
// finished on return.
func (s *ycbcrScaler) scaleAll() {
	parallel(s.height(), func(lo, hi int) {
		buf := s.newRowBuf()
		for y := lo; y < hi; y += 2 {
			s.rows(y, min(hi-y, 2), buf)
		}
	})
}

// width and height return the output's size.
func (s *ycbcrScaler) width() int  { return len(s.fx[0].start) }
func (s *ycbcrScaler) height() int { return len(s.fy[0].start) }

// output returns the scaled image.
func (s *ycbcrScaler) output() image.Image {
	if s.ycc != nil {
		return s.ycc
	}
	return s.rgba
}

// newRowBuf returns scratch rows for s.row.
func (s *ycbcrScaler) newRowBuf() *ycbcrRowBuf {
	b := ycbcrRowBuf{
		acc: make([]int32, s.ps[0].n.X), col: make([]uint8, s.ps[0].n.X),
		accC: make([]int64, s.ps[1].n.X), colC: make([]int64, s.ps[1].n.X),
		accP: make([]int64, s.ps[0].n.X), colP: make([]int64, s.ps[0].n.X),
		pw: make([]int64, 2*s.fy[0].stride),
	}
	if s.rgba != nil {
		for i := range b.out {
			b.out[i] = make([]uint8, s.width())
			b.out2[i] = make([]uint8, s.width())
		}
	}
	return &b
}

// needRows returns how many of the source's luma rows (with the chroma
// rows they cover) output row y reads.
func (s *ycbcrScaler) needRows(y int) int {
	f := s.fy[0]
	n := f.start[y] + f.count[y]
	if cy, ok := s.chromaIndex(y); ok {
		f = s.fy[1] // the same for both chroma planes
		n = max(n, (f.start[cy]+f.count[cy])*s.vs)
	}
	return min(n, s.ps[0].n.Y)
}

// chromaIndex returns the output chroma row scaled with output row y, and
// false if none is (an odd row of a 4:2:0 output).
func (s *ycbcrScaler) chromaIndex(y int) (int, bool) {
	if !s.half {
		return y, true
	}
	return y / 2, y%2 == 0
}

// rows scales output rows y to y+n-1 (n is 1 or 2) into the output. The
// luma of a pair is filtered together (see resample_packed.go).
func (s *ycbcrScaler) rows(y, n int, b *ycbcrRowBuf) {
	o0 := s.outRow(y, b.out)
	if n == 1 {
		f := s.fy[0]
		filterRows(b.col, b.acc, s.ps[0], f.start[y], f.fixed[y*f.stride:y*f.stride+f.count[y]])
		scalePlaneRow(o0[0], b.col, s.fx[0])
		s.chromaRow(y, o0, b)
		s.store(y, o0)
		return
	}
	o1 := s.outRow(y+1, b.out2)
	start, ws := pairWeights(b.pw, s.fy[0], y)
	filterRowsPair(b.colP, b.accP, s.ps[0], start, ws)
	scalePackedRow(o0[0], o1[0], b.colP, s.fx[0])
	s.chromaRow(y, o0, b)
	s.chromaRow(y+1, o1, b)
	s.store(y, o0)
	s.store(y+1, o1)
}

// outRow returns the rows of the output's planes that row y is scaled
// into: the output's own when YCbCr (for 4:2:0, chroma row y/2), else
// buf.
func (s *ycbcrScaler) outRow(y int, buf [3][]uint8) [3][]uint8 {
	if s.ycc == nil {
		return buf
	}
	o, dw := y*s.ycc.YStride, s.width()
	cy, _ := s.chromaIndex(y)
	c, cw := cy*s.ycc.CStride, len(s.fx[1].start)
	return [3][]uint8{s.ycc.Y[o : o+dw], s.ycc.Cb[c : c+cw], s.ycc.Cr[c : c+cw]}
}

// chromaRow scales the output chroma row that goes with row y (see
// chromaIndex), if any, of both chroma planes into out[1:].
func (s *ycbcrScaler) chromaRow(y int, out [3][]uint8, b *ycbcrRowBuf) {
	cy, ok := s.chromaIndex(y)
	if !ok {
		return
	}
	f := s.fy[1] // the same for both chroma planes
	filterRowsPacked(b.colC, b.accC, s.ps[1], s.ps[2], f.start[cy], f.fixed[cy*f.stride:cy*f.stride+f.count[cy]])
	scalePackedRow(out[1], out[2], b.colC, s.fx[1])
}

// store converts output row y, scaled into out, to RGBA when the output
// is RGBA.
func (s *ycbcrScaler) store(y int, out [3][]uint8) {
	if s.rgba != nil {
		o := y * s.rgba.Stride
		storeYCbCrRow(s.rgba.Pix[o:o+4*s.width()], out[0], out[1], out[2])
	}
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

// filterRows filters plane rows start, start+1, … with the fixed-point
// weights ws into dst, accumulating in acc four rows per pass.
func filterRows(dst []uint8, acc []int32, p plane, start int, ws []int32) {
	k := 0
	if len(ws) >= 4 {
		setRows4(acc, p.row(start), p.row(start+1), p.row(start+2), p.row(start+3), ws[:4:4])
		k = 4
	} else {
		clear(acc)
	}
	for ; k+4 <= len(ws); k += 4 {
		addRows4(acc, p.row(start+k), p.row(start+k+1), p.row(start+k+2), p.row(start+k+3), ws[k:k+4:k+4])
	}
	for ; k+2 <= len(ws); k += 2 {
		addRows2(acc, p.row(start+k), p.row(start+k+1), ws[k], ws[k+1])
	}
	if k < len(ws) {
		addRowFixed(acc, p.row(start+k), ws[k])
	}
	roundRow(dst, acc)
}

// setRows4 sets acc to the weighted sum of four rows.
func setRows4(acc []int32, r0, r1, r2, r3 []uint8, ws []int32) {
	n := len(acc)
	r0, r1, r2, r3 = r0[:n], r1[:n], r2[:n], r3[:n]
	w0, w1, w2, w3 := ws[0], ws[1], ws[2], ws[3]
	for i := range acc {
		acc[i] = w0*int32(r0[i]) + w1*int32(r1[i]) + w2*int32(r2[i]) + w3*int32(r3[i])
	}
}

// addRows4 adds the weighted sum of four rows to acc.
func addRows4(acc []int32, r0, r1, r2, r3 []uint8, ws []int32) {
	n := len(acc)
	r0, r1, r2, r3 = r0[:n], r1[:n], r2[:n], r3[:n]
	w0, w1, w2, w3 := ws[0], ws[1], ws[2], ws[3]
	for i := range acc {
		acc[i] += w0*int32(r0[i]) + w1*int32(r1[i]) + w2*int32(r2[i]) + w3*int32(r3[i])
	}
}

// addRows2 adds w0 times r0 and w1 times r1 to acc.
func addRows2(acc []int32, r0, r1 []uint8, w0, w1 int32) {
	n := len(acc)
	r0, r1 = r0[:n], r1[:n]
	for i := range acc {
		acc[i] += w0*int32(r0[i]) + w1*int32(r1[i])
	}
}

// addRowFixed adds w times row to acc.
func addRowFixed(acc []int32, row []uint8, w int32) {
	row = row[:len(acc)]
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
