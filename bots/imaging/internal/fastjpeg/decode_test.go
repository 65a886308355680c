package fastjpeg

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// testFiles are the sample JPEGs, one for each mode image/jpeg decodes,
// with the image type it decodes them to.
var testFiles = []struct {
	name string
	typ  string
}{
	{"video-001.q50.410.jpeg", "*image.YCbCr"},
	{"video-001.q50.410.progressive.jpeg", "*image.YCbCr"},
	{"video-001.q50.411.jpeg", "*image.YCbCr"},
	{"video-001.q50.411.progressive.jpeg", "*image.YCbCr"},
	{"video-001.q50.420.jpeg", "*image.YCbCr"},
	{"video-001.q50.420.progressive.jpeg", "*image.YCbCr"},
	{"video-001.q50.422.jpeg", "*image.YCbCr"},
	{"video-001.q50.422.progressive.jpeg", "*image.YCbCr"},
	{"video-001.q50.440.jpeg", "*image.YCbCr"},
	{"video-001.q50.440.progressive.jpeg", "*image.YCbCr"},
	{"video-001.q50.444.jpeg", "*image.YCbCr"},
	{"video-001.q50.444.progressive.jpeg", "*image.YCbCr"},
	{"video-001.221212.jpeg", "*image.YCbCr"},
	{"video-001.restart2.jpeg", "*image.YCbCr"},
	{"video-001.separate.dc.progression.progressive.jpeg", "*image.YCbCr"},
	{"video-001.progressive.truncated.jpeg", "*image.YCbCr"},
	{"video-001.cmyk.jpeg", "*image.CMYK"},
	{"video-001.rgb.jpeg", "*image.RGBA"},
	{"video-005.gray.q50.jpeg", "*image.Gray"},
	{"video-005.gray.q50.progressive.jpeg", "*image.Gray"},
	{"video-005.gray.q50.2x2.jpeg", "*image.Gray"},
	{"video-005.gray.q50.2x2.progressive.jpeg", "*image.Gray"},
}

// readFile returns testdata/name.
func readFile(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// sameAsImageJPEG fails unless Decode and image/jpeg's Decode both fail
// on data, or both return the same image.
func sameAsImageJPEG(tb testing.TB, data []byte) image.Image {
	tb.Helper()
	want, wantErr := jpeg.Decode(bytes.NewReader(data))
	got, err := Decode(bytes.NewReader(data))
	if (err != nil) != (wantErr != nil) {
		tb.Fatalf("error %v, image/jpeg's %v", err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		tb.Fatalf("decodes to other pixels than image/jpeg (%T %v, want %T %v)", got, got.Bounds(), want, want.Bounds())
	}
	return got
}

// TestDecodeMatchesImageJPEG checks that every mode decodes to exactly
// what image/jpeg decodes.
func TestDecodeMatchesImageJPEG(t *testing.T) {
	for _, tt := range testFiles {
		t.Run(tt.name, func(t *testing.T) {
			got := sameAsImageJPEG(t, readFile(t, tt.name))
			if typ := reflect.TypeOf(got).String(); typ != tt.typ {
				t.Errorf("type %s, want %s", typ, tt.typ)
			}
		})
	}
}

// photo returns a 4:2:0 YCbCr w×h picture with smooth areas, texture and
// sharp strokes, so its blocks range from flat to busy.
func photo(w, h int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			v := uint8(150 + 60*x/w)
			switch {
			case (x/7+y/11)%13 == 0 || (y%40 < 3 && x%200 < 150):
				v = 30
			case y > h/2:
				v += uint8((x*7 + y*13) ^ (x*y>>5)&31)
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

// encode returns img as a JPEG of quality q.
func encode(tb testing.TB, img image.Image, q int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestDecodeLargeMatchesImageJPEG checks images of many MCU rows, at
// several qualities and odd sizes, gray too.
func TestDecodeLargeMatchesImageJPEG(t *testing.T) {
	src := photo(1203, 917)
	gray := image.NewGray(src.Rect)
	copy(gray.Pix, src.Y)
	for _, q := range []int{30, 85, 100} {
		sameAsImageJPEG(t, encode(t, src, q))
		sameAsImageJPEG(t, encode(t, gray, q))
	}
}

// FuzzDecode checks that Decode never panics and agrees with image/jpeg
// on every input: the same error or not, the same pixels.
func FuzzDecode(f *testing.F) {
	for _, tt := range testFiles {
		f.Add(readFile(f, tt.name))
	}
	f.Add(encode(f, photo(67, 35), 75))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<16 {
			return // keep each run small (both decoders also fail on a header they cannot read)
		}
		sameAsImageJPEG(t, data)
	})
}

// BenchmarkDecode12MP decodes a 4000×3000 4:2:0 photo, with image/jpeg
// for comparison.
func BenchmarkDecode12MP(b *testing.B) {
	data := encode(b, photo(4000, 3000), 85)
	for _, bb := range []struct {
		name   string
		decode func([]byte) (image.Image, error)
	}{
		{"fastjpeg", func(d []byte) (image.Image, error) { return Decode(bytes.NewReader(d)) }},
		{"image-jpeg", func(d []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(d)) }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bb.decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
