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
// same code, so the output is the same pixel for pixel. When the image
// needs no rotation, its JPEG strips are encoded as their rows are
// scaled, while the decode goes on (stripQueue): the same bytes
// encodeImage writes at the first quality tried.

// pipe resamples a JPEG's rows as they are decoded onto a dw×dh image. It
// implements fastjpeg.Watcher for one decode.
type pipe struct {
	sw, sh, dw, dh int
	to             scaleTo // scale444 or scale420

	mu      sync.Mutex
	cond    sync.Cond
	img     *image.YCbCr // the image being decoded, once reported
	s       *ycbcrScaler // built by the first worker to see img
	rows    int          // luma rows decoded
	next    int          // the next output row to claim
	ended   bool         // no more rows will be reported
	abandon bool         // the output will not be used: stop reading img
	enc     *stripQueue  // the output's strips to encode; nil if none
	wg      sync.WaitGroup
}

// task is a piece of a pipe's work: scaling n output rows from row (n
// is 1 or 2), or encoding strip strip (n is 0).
type task struct{ row, n, strip int }

// decodePiped decodes the checked sequential JPEG in.data, resampling it
// to dw×dh as it decodes and, when q > 0, encoding the result at quality
// q as its strips are done. It returns the decoded source, the resampled
// image (YCbCr with the chroma of ratio, 4:4:4 or 4:2:0, as resampleImage
// returns) and its encoding (as encodeImage's, or nil when not made), or
// a nil image when the source could not be followed (gray, CMYK or RGB
// files, subsamplings resampleYCbCr leaves to the generic path), in
// which case the caller resamples src.img itself.
func (in input) decodePiped(dw, dh, q int, ratio image.YCbCrSubsampleRatio) (source, image.Image, []byte, error) {
	p := &pipe{sw: in.cfg.Width, sh: in.cfg.Height, dw: dw, dh: dh, to: scaleFor(ratio)}
	if q > 0 {
		p.enc = newStripQueue(dw, dh, q)
	}
	p.cond.L = &p.mu
	p.wg.Go(func() { p.work() })
	img, err := fastjpeg.DecodeWatched(bytes.NewReader(in.data), p)
	out, data := p.finish(img, err)
	src := in.src
	if err != nil {
		return source{}, nil, nil, decodeError("decode", src.mime, in.data, err)
	}
	if img.Bounds().Empty() {
		return source{}, nil, nil, fmt.Errorf("decode %s: %w: empty image", src.mime, ErrNotImage)
	}
	src.img = img
	return src, out, data, nil
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
// the calling goroutine does the work left alongside the worker, and
// finish returns the output and its encoding (nil if none or failed);
// otherwise it stops the worker and returns nil. Either way no goroutine
// reads img once finish returns.
func (p *pipe) finish(img image.Image, err error) (image.Image, []byte) {
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
	if !ok || p.abandon || p.s == nil || p.next < p.dh {
		return nil, nil
	}
	out := p.s.output()
	if p.enc == nil {
		return out, nil
	}
	data, err := p.enc.join()
	if err != nil {
		return out, nil // encodeFitting tries again, and reports it
	}
	return out, data
}

// work does the pipe's tasks until there are none left, or the pipe is
// abandoned or ends short.
func (p *pipe) work() {
	var buf *ycbcrRowBuf
	var done task // the rows scaled last, to report
	for {
		t, ok := p.claim(done)
		if !ok {
			return
		}
		done = t
		if t.n == 0 {
			p.enc.encode(p.s.output().(stripImage), t.strip)
			continue
		}
		if buf == nil {
			buf = p.s.newRowBuf()
		}
		p.s.rows(t.row, t.n, buf)
	}
}

// claim records that the rows of done are scaled, then waits for a task:
// the next two output rows, or the next one, once their source rows are
// decoded, else a strip whose rows are all scaled. It reports false when
// there is nothing more to do.
func (p *pipe) claim(done task) (task, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for y := done.row; y < done.row+done.n && p.enc != nil; y++ {
		if p.enc.scaled(y) {
			p.cond.Broadcast()
		}
	}
	for {
		if p.abandon {
			return task{}, false
		}
		if p.img != nil && p.s == nil {
			p.s = newYCbCrScaler(p.img, p.dw, p.dh, p.to)
		}
		if t, ok := p.claimRows(); ok {
			return t, true
		}
		if j, ok := p.enc.claim(); ok {
			return task{strip: j}, true
		}
		if p.next >= p.dh && p.enc.handedOut() {
			return task{}, false
		}
		if p.ended && p.next < p.dh {
			p.abandon = true // the decode ended short of the rows needed
			return task{}, false
		}
		p.cond.Wait()
	}
}

// claimRows claims the next two output rows, or the next one, if their
// source rows are decoded.
func (p *pipe) claimRows() (task, bool) {
	if p.s == nil || p.next >= p.dh || p.rows < p.s.needRows(p.next) {
		return task{}, false
	}
	t := task{row: p.next, n: 1}
	if p.next+1 < p.dh && p.rows >= p.s.needRows(p.next+1) {
		t.n = 2
	}
	p.next += t.n
	return t, true
}
