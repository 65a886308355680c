package fastjpeg

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// TestEncode420LikeImageJPEG checks that Encode writes image/jpeg's bytes
// for 4:2:0 YCbCr images, whole and as sub-images starting on even and
// odd pixels (the latter left to the generic path), at sizes that are
// and are not multiples of the MCU and of two.
func TestEncode420LikeImageJPEG(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, size := range []image.Point{{1, 1}, {2, 3}, {16, 16}, {17, 15}, {37, 23}, {64, 48}, {203, 151}} {
		m := image.NewYCbCr(image.Rect(0, 0, size.X, size.Y), image.YCbCrSubsampleRatio420)
		noise(rng, m.Y, m.Cb, m.Cr)
		imgs := []*image.YCbCr{m}
		for _, r := range []image.Rectangle{
			image.Rect(2, 4, size.X, size.Y), image.Rect(0, 16, size.X-1, size.Y),
			image.Rect(4, 2, size.X-3, size.Y-2), image.Rect(3, 5, size.X, size.Y),
		} {
			if r.Min.X < r.Max.X && r.Min.Y < r.Max.Y {
				imgs = append(imgs, m.SubImage(r).(*image.YCbCr))
			}
		}
		for _, m := range imgs {
			for _, q := range []int{1, 50, 85, 100} {
				var got, want bytes.Buffer
				if err := Encode(&got, m, &Options{Quality: q}); err != nil {
					t.Fatal(err)
				}
				if err := jpeg.Encode(&want, m, &jpeg.Options{Quality: q}); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Fatalf("%v at quality %d: %d bytes, image/jpeg %d", m.Bounds(), q, got.Len(), want.Len())
				}
			}
		}
	}
}

// BenchmarkEncode420 encodes BenchmarkEncode444's image with 4:2:0
// chroma, as Prepare's output now is.
func BenchmarkEncode420(b *testing.B) {
	m := image.NewYCbCr(image.Rect(0, 0, 1869, 1402), image.YCbCrSubsampleRatio420)
	for i := range m.Y {
		m.Y[i] = uint8(i*7 ^ i>>5)
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(120+i%16), uint8(130+i%9)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Encode(&buf, m, &Options{Quality: 85}); err != nil {
			b.Fatal(err)
		}
	}
}
