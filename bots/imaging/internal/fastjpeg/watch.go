package fastjpeg

import (
	"image"
	"io"
)

// Watcher is told, while a JPEG decodes, which rows of its YCbCr image are
// final, so that a consumer can start on them before the decode ends. Its
// methods are called on the decoding goroutine.
type Watcher interface {
	// Rows reports that the first n rows of img, in every plane (n luma
	// rows, and the chroma rows they cover), are decoded. It is called with
	// n growing, once per row of MCUs of a sequential scan that holds all
	// three components. The reported rows are not written again unless
	// Rewrite is called first.
	Rows(img *image.YCbCr, n int)
	// Rewrite reports that rows reported before are about to be written
	// again (a malformed file with a further scan). It returns once the
	// watcher no longer reads them; Rows is not called again.
	Rewrite()
}

// DecodeWatched is Decode, telling w as rows of the image are decoded.
// Only a sequential (not progressive) three-component YCbCr image, decoded
// in one interleaved scan, is reported; for anything else Rows is never
// called and the result is only known when DecodeWatched returns. The
// image returned is the one passed to Rows, unless it is converted (RGB or
// CMYK files, which are never reported).
func DecodeWatched(r io.Reader, w Watcher) (image.Image, error) {
	d := decoder{watch: w}
	return d.decode(r, false)
}

// watchScan returns whether the scan about to be decoded is reported to
// d.watch, first telling the watcher when a reported image is about to be
// written again.
func (d *decoder) watchScan(nComp int) bool {
	if d.watch == nil {
		return false
	}
	if d.watched {
		d.watch.Rewrite()
		d.watch = nil
		return false
	}
	d.watched = !d.progressive && d.nComp == 3 && nComp == 3 && d.img3 != nil && !d.isRGB()
	return d.watched
}
