package imaging

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"testing"
)

// photo returns a w×h image resembling a photographed page: a smooth
// background gradient with dark strokes, so JPEG sizes are realistic.
func photo(w, h int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			v := uint8(180 + 60*x/w)
			if (x/7+y/11)%13 == 0 || (y%40 < 3 && x%200 < 150) {
				v = 30
			}
			img.Y[img.YOffset(x, y)] = v
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			i := img.COffset(2*x, 2*y)
			img.Cb[i], img.Cr[i] = uint8(120+x%16), uint8(130+y%16)
		}
	}
	return img
}

// BenchmarkPrepare12MP prepares a 4000×3000 JPEG, a typical phone photo,
// for the default 2.6 MP budget.
func BenchmarkPrepare12MP(b *testing.B) {
	data := encodeAs(b, "jpeg", photo(4000, 3000))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(data, "image/jpeg", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// texturedPhoto returns a w×h JPEG finely textured all over, like the load
// harness's photos (cmd/qwenbot-load): about 5 MB at 12 MP, slower to
// decode than photo's.
func texturedPhoto(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			img.Y[img.YOffset(x, y)] = 160 + uint8((x*7+y*13+31)^(x*y>>5))/3
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 129, 127
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkPrepare12MPTextured prepares the load harness's kind of 12 MP
// photo for the default 2.6 MP budget.
func BenchmarkPrepare12MPTextured(b *testing.B) {
	data := texturedPhoto(b, 4000, 3000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(data, "image/jpeg", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResample12MP scales a decoded 4000×3000 4:2:0 photo to the
// default 2.6 MP budget.
func BenchmarkResample12MP(b *testing.B) {
	src := photo(4000, 3000)
	w, h := fitPixels(4000, 3000, DefaultMaxPixels)
	b.ReportAllocs()
	for b.Loop() {
		resample(src, w, h)
	}
}

// BenchmarkPrepare12MPRotated prepares BenchmarkPrepare12MP's photo taken
// upright on a phone: EXIF orientation 6, so the scaled image is turned
// before it is encoded.
func BenchmarkPrepare12MPRotated(b *testing.B) {
	data := withExif(b, encodeAs(b, "jpeg", photo(4000, 3000)), 6, binary.BigEndian)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(data, "image/jpeg", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
