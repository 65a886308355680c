package imaging

import "image"

// orient returns img transformed for display according to EXIF orientation
// o (1–8). Orientations 5–8 swap width and height. img must have its bounds
// at the origin; for o == 1 (or an invalid value) img itself is returned.
// Rows are split between GOMAXPROCS goroutines, all finished on return.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := orientedSize(w, h, o)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	parallel(dh, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			d := dst.Pix[y*dst.Stride : y*dst.Stride+dw*4]
			for x := range dw {
				sx, sy := sourcePoint(o, x, y, w, h)
				s := img.Pix[sy*img.Stride+sx*4:]
				copy(d[x*4:x*4+4], s[:4])
			}
		}
	})
	return dst
}

// orientedSize returns the size of a w×h image shown with EXIF
// orientation o: 5–8 swap width and height.
func orientedSize(w, h, o int) (int, int) {
	if o >= 5 {
		return h, w
	}
	return w, h
}

// orientImage is orient for the images Prepare encodes: RGBA, or the
// YCbCr of shrunk (at the origin), each of whose planes is transformed
// alike: a 4:4:4 image, or a 4:2:0 one of even sides, whose chroma
// samples then each cover the same 2×2 pixels as before. Any other YCbCr
// image is turned as RGBA.
func orientImage(img image.Image, o int) image.Image {
	m, ok := img.(*image.YCbCr)
	if !ok {
		return orient(img.(*image.RGBA), o)
	}
	if !turned(o) {
		return img
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	cw, ch := w, h
	switch {
	case m.SubsampleRatio == image.YCbCrSubsampleRatio420 && w%2 == 0 && h%2 == 0:
		cw, ch = w/2, h/2
	case m.SubsampleRatio != image.YCbCrSubsampleRatio444:
		return orient(toRGBA(m), o)
	}
	dw, dh := orientedSize(w, h, o)
	dst := image.NewYCbCr(image.Rect(0, 0, dw, dh), m.SubsampleRatio)
	orientPlane(dst.Y, dst.YStride, m.Y, m.YStride, w, h, o)
	orientPlane(dst.Cb, dst.CStride, m.Cb, m.CStride, cw, ch, o)
	orientPlane(dst.Cr, dst.CStride, m.Cr, m.CStride, cw, ch, o)
	return dst
}

// orientPlane writes the w×h plane src, rows sstride apart, shown with
// EXIF orientation o, into dst, rows dstride apart. Rows are split between
// GOMAXPROCS goroutines, all finished on return.
func orientPlane(dst []uint8, dstride int, src []uint8, sstride, w, h, o int) {
	dw, dh := orientedSize(w, h, o)
	parallel(dh, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			d := dst[y*dstride : y*dstride+dw]
			for x := range d {
				sx, sy := sourcePoint(o, x, y, w, h)
				d[x] = src[sy*sstride+sx]
			}
		}
	})
}

// sourcePoint maps display coordinates (x, y) to the stored pixel of a w×h
// image with EXIF orientation o:
//
//	2 mirror horizontally      3 rotate 180°           4 mirror vertically
//	5 transpose                6 rotate 90° clockwise
//	7 transverse               8 rotate 90° counter-clockwise
func sourcePoint(o, x, y, w, h int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return y, h - 1 - x
	case 7:
		return w - 1 - y, h - 1 - x
	case 8:
		return w - 1 - y, x
	}
	return x, y
}

// flattenOnWhite composites premultiplied img onto an opaque white
// background in place, so transparent areas do not turn black in a JPEG.
func flattenOnWhite(img *image.RGBA) {
	p := img.Pix
	for i := 0; i+4 <= len(p); i += 4 {
		a := p[i+3]
		if a == 0xFF {
			continue
		}
		bg := 0xFF - a
		p[i] = sat(p[i], bg)
		p[i+1] = sat(p[i+1], bg)
		p[i+2] = sat(p[i+2], bg)
		p[i+3] = 0xFF
	}
}

// sat returns a+b saturated at 255.
func sat(a, b uint8) uint8 {
	if s := uint16(a) + uint16(b); s < 0xFF {
		return uint8(s)
	}
	return 0xFF
}
