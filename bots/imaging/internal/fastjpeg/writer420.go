package fastjpeg

import "image"

// A 4:2:0 YCbCr image already holds the chroma the encoder writes: each
// chroma sample covers one 2×2 block of luma, as in the file. image/jpeg
// reads it pixel by pixel into four 8×8 chroma blocks per MCU, each 2×2
// of them the same sample repeated (or, at the right and bottom edges,
// the last column's or row's sample), and averages them back. When the
// chroma grid starts on an even pixel, the average of four equal samples
// is that sample, so reading one 8×8 block of chroma samples, the last
// column and row repeated past the edges, gives the same block and the
// same bytes, for a quarter of the reads and no averaging. (Not in
// image/jpeg.)

// aligned420 reports whether m is 4:2:0 with its chroma grid starting on
// an even pixel (not negative, where COffset's division rounds the other
// way), so writeYCbCr420 gives image/jpeg's bytes.
func aligned420(m *image.YCbCr) bool {
	return m.SubsampleRatio == image.YCbCrSubsampleRatio420 &&
		m.Rect.Min.X >= 0 && m.Rect.Min.Y >= 0 &&
		m.Rect.Min.X%2 == 0 && m.Rect.Min.Y%2 == 0
}

// writeYCbCr420 writes the MCUs of m, which aligned420 accepts, reading
// each block from its plane (planeBlock); chroma sample (i, j) covers
// the pixels 2i and 2i+1 of rows 2j and 2j+1 from Rect.Min.
func (e *encoder) writeYCbCr420(m *image.YCbCr) {
	var (
		b, cb, cr                   block
		prevDCY, prevDCCb, prevDCCr int32
	)
	xmax, ymax := m.Rect.Dx()-1, m.Rect.Dy()-1
	for y := 0; y <= ymax; y += 16 {
		for x := 0; x <= xmax; x += 16 {
			for i := range 4 {
				planeBlock(&b, m.Y, m.YStride, x+(i&1)*8, y+(i&2)*4, xmax, ymax)
				prevDCY = e.writeBlock(&b, 0, prevDCY)
			}
			planeBlock(&cb, m.Cb, m.CStride, x/2, y/2, xmax/2, ymax/2)
			planeBlock(&cr, m.Cr, m.CStride, x/2, y/2, xmax/2, ymax/2)
			prevDCCb = e.writeBlock(&cb, 1, prevDCCb)
			prevDCCr = e.writeBlock(&cr, 1, prevDCCr)
		}
	}
}
