package imaging

import (
	"errors"
	"image"
)

// stripQueue tracks the strips of a pipe's output for encoding each as
// soon as its rows are scaled: the strips encodeImage would encode, at
// its first quality, joined the same way, so the bytes are the same. It
// is guarded by its pipe's mutex, except encode, which only writes the
// strip's own results.
type stripQueue struct {
	q, rows, height int
	interval        int      // the restart interval, in MCUs
	left            []int    // rows of each strip not scaled yet
	next            int      // the next strip to hand out
	parts           [][]byte // each strip's JPEG
	errs            []error
}

// newStripQueue returns the queue of strips to encode a dw×dh image in at
// quality q, or nil when encodeImage encodes it whole.
func newStripQueue(dw, dh, q int) *stripQueue {
	rows := stripRows(image.Rect(0, 0, dw, dh), stripCount())
	if rows == 0 {
		return nil
	}
	n := (dh + rows - 1) / rows
	e := &stripQueue{q: q, rows: rows, height: dh, interval: (dw + mcuSize - 1) / mcuSize * (rows / mcuSize),
		left: make([]int, n), parts: make([][]byte, n), errs: make([]error, n)}
	for j := range e.left {
		e.left[j] = min(rows, dh-j*rows)
	}
	return e
}

// scaled records that output row y is scaled, and reports whether that
// completed its strip.
func (e *stripQueue) scaled(y int) bool {
	j := y / e.rows
	e.left[j]--
	return e.left[j] == 0
}

// claim hands out the next strip if all its rows are scaled. A nil queue
// has none.
func (e *stripQueue) claim() (int, bool) {
	if e == nil || e.next >= len(e.left) || e.left[e.next] > 0 {
		return 0, false
	}
	e.next++
	return e.next - 1, true
}

// handedOut reports whether every strip was handed out (true for a nil
// queue).
func (e *stripQueue) handedOut() bool {
	return e == nil || e.next >= len(e.left)
}

// encode encodes strip j of img.
func (e *stripQueue) encode(img stripImage, j int) {
	b := img.Bounds()
	r := image.Rect(b.Min.X, b.Min.Y+j*e.rows, b.Max.X, min(b.Min.Y+(j+1)*e.rows, b.Max.Y))
	e.parts[j], e.errs[j] = encodeJPEG(img.SubImage(r), e.q)
}

// join returns the strips joined into one JPEG, once all are encoded.
func (e *stripQueue) join() ([]byte, error) {
	if err := errors.Join(e.errs...); err != nil {
		return nil, err
	}
	return joinStrips(e.parts, e.height, e.interval)
}
