package imaging

import (
	"image"
	"image/draw"
	"math"
	"runtime"
	"sync"
)

// The resampler is a separable Catmull-Rom filter, like
// golang.org/x/image/draw.CatmullRom (same kernel, same support widening
// when shrinking, same edge handling), but its intermediate image holds 8-bit
// samples and source rows are converted one at a time. x/image/draw keeps a
// [4]float64 per pixel of dstWidth×srcHeight: 179 MB for a 12 MP photo and
// over 500 MB at the 100 MP limit, where this needs 22 MB and 65 MB.

// catmullRom is the Catmull-Rom cubic (B=0, C=0.5) with support 2.
func catmullRom(t float64) float64 {
	t = math.Abs(t)
	switch {
	case t < 1:
		return (1.5*t-2.5)*t*t + 1
	case t < 2:
		return ((-0.5*t+2.5)*t-4)*t + 2
	}
	return 0
}

// filter holds, for each destination sample, the weights of the source
// samples contributing to it.
type filter struct {
	stride int       // weights per destination sample in weight
	start  []int     // first contributing source index
	count  []int     // number of contributing source samples
	weight []float32 // normalised weights, stride per destination sample
	fixed  []int32   // the weights in fixed point, summing to 1<<fixedBits
}

// fixedBits is the fractional bits of filter.fixed.
const fixedBits = 14

// newFilter builds the filter mapping src samples onto dst samples.
func newFilter(dst, src int) filter {
	return newFilterSpan(dst, src, float64(src))
}

// newFilterSpan builds the filter mapping n source samples, spread over
// span source samples' width, onto dst samples. span differs from n for
// a subsampled chroma plane of odd size, whose last sample covers half
// its width.
func newFilterSpan(dst, n int, span float64) filter {
	scale := span / float64(dst)
	src := n
	support, argScale := 2.0, 1.0
	if scale > 1 { // shrinking: widen the kernel to cover every source sample
		support *= scale
		argScale = 1 / scale
	}
	stride := int(math.Ceil(2*support)) + 2
	f := makeFilter(dst, stride)
	ws := make([]float64, stride)
	for x := range dst {
		center := (float64(x)+0.5)*scale - 0.5
		i := max(int(math.Floor(center-support)), 0)
		j := min(int(math.Ceil(center+support)), src, i+stride)
		for k := i; k < j; k++ {
			ws[k-i] = catmullRom((center - float64(k)) * argScale)
		}
		f.set(x, i, ws[:max(j-i, 0)])
	}
	return f
}

// makeFilter returns a filter onto dst samples of at most stride weights
// each, all to be set.
func makeFilter(dst, stride int) filter {
	return filter{
		stride: stride,
		start:  make([]int, dst),
		count:  make([]int, dst),
		weight: make([]float32, dst*stride),
		fixed:  make([]int32, dst*stride),
	}
}

// set gives destination sample x the weights ws of source samples start,
// start+1, …, normalised to sum to one (in fixed point exactly).
func (f *filter) set(x, start int, ws []float64) {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	f.start[x], f.count[x] = start, len(ws)
	for k, w := range ws {
		f.weight[x*f.stride+k] = float32(w / total)
	}
	fixWeights(f.fixed[x*f.stride:x*f.stride+len(ws)], ws, total)
}

// fixWeights stores ws/total in fixed point, the rounding error added to
// the largest weight so that they sum to exactly one.
func fixWeights(dst []int32, ws []float64, total float64) {
	sum, big := int32(0), 0
	for k := range dst {
		dst[k] = int32(math.Round(ws[k] / total * (1 << fixedBits)))
		sum += dst[k]
		if dst[k] > dst[big] {
			big = k
		}
	}
	if len(dst) > 0 {
		dst[big] += 1<<fixedBits - sum
	}
}

// resample scales src to a new dw×dh RGBA image with premultiplied alpha.
// Rows are split between GOMAXPROCS goroutines, all finished on return.
func resample(src image.Image, dw, dh int) *image.RGBA {
	if m, ok := src.(*image.YCbCr); ok && planar(m) {
		return resampleYCbCr(m, dw, dh)
	}
	return resampleRows(src, dw, dh)
}

// resampleRows is resample for any image: source rows are converted to
// RGBA one at a time and filtered horizontally, then vertically.
func resampleRows(src image.Image, dw, dh int) *image.RGBA {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	fx, fy := newFilter(dw, sw), newFilter(dh, sh)
	n := dw * 4
	tmp := make([]uint8, n*sh)
	parallel(sh, func(lo, hi int) {
		rows := newRowReader(src)
		for y := lo; y < hi; y++ {
			scaleRow(tmp[y*n:(y+1)*n], rows.row(y), fx)
		}
	})
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	parallel(dh, func(lo, hi int) {
		acc := make([]float32, n)
		for y := lo; y < hi; y++ {
			clear(acc)
			for k := range fy.count[y] {
				sy := fy.start[y] + k
				addRow(acc, tmp[sy*n:(sy+1)*n], fy.weight[y*fy.stride+k])
			}
			storeRow(dst.Pix[y*dst.Stride:y*dst.Stride+n], acc)
		}
	})
	return dst
}

// parallel calls fn on consecutive row ranges covering [0, n), one per
// goroutine (at most GOMAXPROCS, at least 64 rows each), and waits for all.
func parallel(n int, fn func(lo, hi int)) {
	workers := max(min(runtime.GOMAXPROCS(0), n/64), 1)
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		wg.Go(func() { fn(lo, min(lo+chunk, n)) })
	}
	wg.Wait()
}

// addRow adds w times row to acc.
func addRow(acc []float32, row []uint8, w float32) {
	acc = acc[:len(row)]
	for i, v := range row {
		acc[i] += w * float32(v)
	}
}

// scaleRow filters one row of premultiplied RGBA samples horizontally.
func scaleRow(dst, src []uint8, f filter) {
	for x := range len(dst) / 4 {
		var r, g, b, a float32
		ws := f.weight[x*f.stride : x*f.stride+f.count[x]]
		p := src[f.start[x]*4:]
		for k, w := range ws {
			q := p[k*4 : k*4+4 : k*4+4]
			r += w * float32(q[0])
			g += w * float32(q[1])
			b += w * float32(q[2])
			a += w * float32(q[3])
		}
		d := dst[x*4 : x*4+4 : x*4+4]
		d[0], d[1], d[2], d[3] = clamp8(r), clamp8(g), clamp8(b), clamp8(a)
	}
}

// storeRow rounds accumulated samples into dst, keeping colour ≤ alpha so
// the result stays valid premultiplied RGBA despite filter overshoot.
func storeRow(dst []uint8, acc []float32) {
	for i := 0; i+4 <= len(acc); i += 4 {
		a := clamp8(acc[i+3])
		d := dst[i : i+4 : i+4]
		d[0] = min(clamp8(acc[i]), a)
		d[1] = min(clamp8(acc[i+1]), a)
		d[2] = min(clamp8(acc[i+2]), a)
		d[3] = a
	}
}

// clamp8 rounds v to the nearest uint8, saturating.
func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// rowReader converts rows of any image to premultiplied 8-bit RGBA, one row
// at a time, so resampling never holds a full RGBA copy of a large source.
type rowReader struct {
	src image.Image
	min image.Point
	buf *image.RGBA
}

// newRowReader returns a rowReader over src.
func newRowReader(src image.Image) *rowReader {
	b := src.Bounds()
	return &rowReader{src: src, min: b.Min, buf: image.NewRGBA(image.Rect(0, 0, b.Dx(), 1))}
}

// row returns row y (counted from the top of the bounds) of the source. The
// slice is only valid until the next call.
func (r *rowReader) row(y int) []uint8 {
	w := r.buf.Rect.Dx()
	if m, ok := r.src.(*image.RGBA); ok {
		off := m.PixOffset(r.min.X, r.min.Y+y)
		return m.Pix[off : off+4*w]
	}
	draw.Draw(r.buf, r.buf.Rect, r.src, image.Pt(r.min.X, r.min.Y+y), draw.Src)
	return r.buf.Pix
}

// toRGBA converts src to an RGBA image with bounds at the origin.
func toRGBA(src image.Image) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, src, b.Min, draw.Src)
	return dst
}

// resampleBytes estimates the memory resample allocates besides its
// output when scaling sw×sh to dw×dh: the horizontally filtered rows.
func resampleBytes(sw, sh, dw, dh int) float64 {
	return 4 * float64(dw) * float64(sh)
}
