package imaging

import (
	"bytes"
	"fmt"
	"image"
	"sync"

	"github.com/qwenbot/qwenbot/bots/imaging/internal/fastjpeg"
)

// A sequential JPEG is resampled while it decodes: the decoder reports
// each row of MCUs it finishes (fastjpeg.Watcher), and a goroutine on
// another core scales every output row whose source rows, with the few
// rows of the filter's support below them, are decoded. The decoding
// goroutine joins in once the decode ends. The decoded image and the
// output are the same allocations as when resampling follows decoding, so
// the memory held at once does not grow, and the rows are scaled by the
// same code, so the output is the same pixel for pixel.

// pipe resamples a JPEG's rows as they are decoded onto a dw×dh image. It
// implements fastjpeg.Watcher for one decode.
type pipe struct {
	sw, sh, dw, dh int

	mu      sync.Mutex
	cond    sync.Cond
	img     *image.YCbCr // the image being decoded, once reported
	s       *ycbcrScaler // built by the first worker to see img
	rows    int          // luma rows decoded
	next    int          // the next output row to claim
	ended   bool         // no more rows will be reported
	abandon bool         // the output will not be used: stop reading img
	wg      sync.WaitGroup
}

// decodePiped decodes the checked sequential JPEG in.data, resampling it
// to dw×dh as it decodes. It returns the decoded source and the resampled
// image (4:4:4 YCbCr, as resampleImage returns), or a nil image when the source could not be followed (gray, CMYK
// or RGB files, subsamplings resampleYCbCr leaves to the generic path), in
// which case the caller resamples src.img itself.
func (in input) decodePiped(dw, dh int) (source, image.Image, error) {
	p := &pipe{sw: in.cfg.Width, sh: in.cfg.Height, dw: dw, dh: dh}
	p.cond.L = &p.mu
	p.wg.Go(func() { p.work() })
	img, err := fastjpeg.DecodeWatched(bytes.NewReader(in.data), p)
	out := p.finish(img, err)
	src := in.src
	if err != nil {
		return source{}, nil, decodeError("decode", src.mime, in.data, err)
	}
	if img.Bounds().Empty() {
		return source{}, nil, fmt.Errorf("decode %s: %w: empty image", src.mime, ErrNotImage)
	}
	src.img = img
	return src, out, nil
}

// Rows records that the first n rows of img are decoded; see
// fastjpeg.Watcher.
func (p *pipe) Rows(img *image.YCbCr, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.img == nil {
		if img.Rect != image.Rect(0, 0, p.sw, p.sh) || !planar(img) {
			p.abandon = true
		}
		p.img = img
	}
	p.rows = n
	p.cond.Broadcast()
}

// Rewrite stops the workers before decoded rows are written again; see
// fastjpeg.Watcher.
func (p *pipe) Rewrite() {
	p.mu.Lock()
	p.abandon, p.ended = true, true
	p.cond.Broadcast()
	p.mu.Unlock()
	p.wg.Wait()
}

// finish ends the pipe after the decode returned img and err: on success
// the calling goroutine scales the rows left alongside the worker, and
// finish returns the output; otherwise it stops the worker and returns
// nil. Either way no goroutine reads img once finish returns.
func (p *pipe) finish(img image.Image, err error) image.Image {
	p.mu.Lock()
	p.ended = true
	ok := err == nil && p.img != nil && img == image.Image(p.img) && !p.abandon
	if ok {
		p.rows = p.sh
	} else {
		p.abandon = true
	}
	p.cond.Broadcast()
	p.mu.Unlock()
	if ok {
		p.work()
	}
	p.wg.Wait()
	if !ok || p.s == nil || p.next < p.dh {
		return nil
	}
	return p.s.output()
}

// work scales output rows in order as their source rows are decoded,
// until every row is claimed or the pipe is abandoned or ends short.
func (p *pipe) work() {
	var buf *ycbcrRowBuf
	for {
		s, y, ok := p.claim()
		if !ok {
			return
		}
		if buf == nil {
			buf = s.newRowBuf()
		}
		s.row(y, buf)
	}
}

// claim waits until the next output row's source rows are decoded and
// claims it, or reports false when there is nothing more to do.
func (p *pipe) claim() (*ycbcrScaler, int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if p.abandon || p.next >= p.dh {
			return nil, 0, false
		}
		if p.img != nil && p.s == nil {
			p.s = newYCbCrScaler(p.img, p.dw, p.dh, true)
		}
		if p.s != nil && p.rows >= p.s.needRows(p.next) {
			p.next++
			return p.s, p.next - 1, true
		}
		if p.ended {
			p.abandon = true // the decode ended short of the rows needed
			return nil, 0, false
		}
		p.cond.Wait()
	}
}
