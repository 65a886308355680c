package fastjpeg

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// TestEncodeLikeImageJPEG checks that Encode writes image/jpeg's bytes
// for each image type it has a path for, whole and as sub-images, at
// sizes that are and are not multiples of the MCU, at several qualities.
func TestEncodeLikeImageJPEG(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var imgs []image.Image
	for _, size := range []image.Point{{1, 1}, {16, 16}, {37, 23}, {203, 151}} {
		r := image.Rect(0, 0, size.X, size.Y)
		rgba, gray, nrgba := image.NewRGBA(r), image.NewGray(r), image.NewNRGBA(r)
		noise(rng, rgba.Pix, gray.Pix, nrgba.Pix)
		imgs = append(imgs, rgba, gray, nrgba)
		for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422} {
			m := image.NewYCbCr(r, ratio)
			noise(rng, m.Y, m.Cb, m.Cr)
			imgs = append(imgs, m)
			if size.X > 20 {
				imgs = append(imgs, m.SubImage(image.Rect(3, 5, size.X-2, size.Y-1)))
			}
		}
		c := image.NewCMYK(r)
		noise(rng, c.Pix)
		imgs = append(imgs, c, image.NewUniform(color.RGBA{10, 200, 30, 255}))
	}
	for _, m := range imgs {
		for _, q := range []int{1, 40, 85, 100} {
			if _, ok := m.(*image.Uniform); ok {
				m = image.NewRGBA(image.Rect(0, 0, 9, 9)) // Uniform has infinite bounds
			}
			var got, want bytes.Buffer
			errG := Encode(&got, m, &Options{Quality: q})
			errW := jpeg.Encode(&want, m, &jpeg.Options{Quality: q})
			if (errG == nil) != (errW == nil) || !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("%T %v at quality %d: %d bytes (%v), image/jpeg %d (%v)", m, m.Bounds(), q, got.Len(), errG, want.Len(), errW)
			}
		}
	}
}

// BenchmarkEncode444 encodes a 2.6 MP 4:4:4 YCbCr image, as Prepare's
// output is, with Encode and with image/jpeg.
func BenchmarkEncode444(b *testing.B) {
	m := image.NewYCbCr(image.Rect(0, 0, 1869, 1402), image.YCbCrSubsampleRatio444)
	for i := range m.Y {
		m.Y[i], m.Cb[i], m.Cr[i] = uint8(i*7^i>>5), uint8(120+i%16), uint8(130+i%9)
	}
	for _, enc := range []struct {
		name string
		fn   func(*bytes.Buffer) error
	}{
		{"fastjpeg", func(w *bytes.Buffer) error { return Encode(w, m, &Options{Quality: 85}) }},
		{"image-jpeg", func(w *bytes.Buffer) error { return jpeg.Encode(w, m, &jpeg.Options{Quality: 85}) }},
	} {
		b.Run(enc.name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := enc.fn(&buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// noise fills each of planes, in order, with rng's random bytes.
func noise(rng *rand.Rand, planes ...[]uint8) {
	for _, p := range planes {
		for i := range p {
			p[i] = uint8(rng.UintN(256))
		}
	}
}
