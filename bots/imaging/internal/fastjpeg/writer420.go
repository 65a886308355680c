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

// writeYCbCr420 writes the MCUs of m, which aligned420 accepts.
func (e *encoder) writeYCbCr420(m *image.YCbCr) {
	var (
		b, cb, cr                   block
		prevDCY, prevDCCb, prevDCCr int32
	)
	bounds := m.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 16 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 16 {
			for i := range 4 {
				lumaBlock(m, image.Pt(x+(i&1)*8, y+(i&2)*4), &b)
				prevDCY = e.writeBlock(&b, 0, prevDCY)
			}
			chromaBlocks420(m, image.Pt(x, y), &cb, &cr)
			prevDCCb = e.writeBlock(&cb, 1, prevDCCb)
			prevDCCr = e.writeBlock(&cr, 1, prevDCCr)
		}
	}
}

// lumaBlock stores the 8×8 luma block of m whose top-left corner is p in
// yBlock, the last column and row repeated past the bounds.
func lumaBlock(m *image.YCbCr, p image.Point, yBlock *block) {
	xmax, ymax := m.Rect.Max.X-1, m.Rect.Max.Y-1
	for j := range 8 {
		o := (min(p.Y+j, ymax)-m.Rect.Min.Y)*m.YStride - m.Rect.Min.X
		ys := yBlock[8*j : 8*j+8 : 8*j+8]
		if p.X+7 <= xmax {
			row := m.Y[o+p.X : o+p.X+8 : o+p.X+8]
			for i := range 8 {
				ys[i] = int32(row[i])
			}
			continue
		}
		for i := range 8 {
			ys[i] = int32(m.Y[o+min(p.X+i, xmax)])
		}
	}
}

// chromaBlocks420 stores the 8×8 chroma blocks of the 16×16 MCU of m
// whose top-left corner is p in cbBlock and crBlock, the last chroma
// column and row repeated past the bounds.
func chromaBlocks420(m *image.YCbCr, p image.Point, cbBlock, crBlock *block) {
	// In chroma samples from the grid's origin, Rect.Min/2.
	x0, y0 := (p.X-m.Rect.Min.X)/2, (p.Y-m.Rect.Min.Y)/2
	xmax, ymax := (m.Rect.Max.X-1-m.Rect.Min.X)/2, (m.Rect.Max.Y-1-m.Rect.Min.Y)/2
	for j := range 8 {
		o := min(y0+j, ymax) * m.CStride
		cbs, crs := cbBlock[8*j:8*j+8:8*j+8], crBlock[8*j:8*j+8:8*j+8]
		if x0+7 <= xmax {
			cb, cr := m.Cb[o+x0:o+x0+8:o+x0+8], m.Cr[o+x0:o+x0+8:o+x0+8]
			for i := range 8 {
				cbs[i], crs[i] = int32(cb[i]), int32(cr[i])
			}
			continue
		}
		for i := range 8 {
			k := o + min(x0+i, xmax)
			cbs[i], crs[i] = int32(m.Cb[k]), int32(m.Cr[k])
		}
	}
}
