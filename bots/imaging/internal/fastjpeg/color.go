package fastjpeg

import (
	"image"
	"image/color"
)

// ycbcrToRGBA converts m to an RGBA image with the same bounds. It stands
// in for image/internal/imageutil.DrawYCbCr, which is not importable, with
// the same conversion (color.YCbCrToRGB).
func ycbcrToRGBA(m *image.YCbCr) *image.RGBA {
	b := m.Bounds()
	img := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		p := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := b.Min.X; x < b.Max.X; x++ {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			q := p[4*(x-b.Min.X) : 4*(x-b.Min.X)+4 : 4*(x-b.Min.X)+4]
			q[0], q[1], q[2], q[3] = r, g, bl, 0xFF
		}
	}
	return img
}
