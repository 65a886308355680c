package imaging

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"
	"testing"
)

func TestStripRows(t *testing.T) {
	tests := []struct {
		name  string
		w, h  int
		cores int
		want  int
	}{
		{"default budget, 2 cores", 1870, 1402, 2, 704},
		{"4 cores", 1870, 1402, 4, 352},
		{"one core", 1870, 1402, 1, 0},
		{"small image", 600, 400, 2, 0},
		{"short last strip", 16000, 40, 2, 32},
		{"restart interval too long", 60000, 1000, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripRows(image.Rect(0, 0, tt.w, tt.h), tt.cores); got != tt.want {
				t.Errorf("stripRows = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestEncodeStripsDecodesLikeOneEncoding checks that a JPEG joined from
// strips decodes to exactly the pixels of one encoding of the whole image,
// with restart markers wrapping past RST7 and a short last strip.
func TestEncodeStripsDecodesLikeOneEncoding(t *testing.T) {
	src := photo(530, 300)
	img := image.NewRGBA(image.Rect(0, 0, 530, 300))
	draw.Draw(img, img.Rect, src, image.Point{}, draw.Src)
	whole, err := encodeJPEG(img, 85)
	if err != nil {
		t.Fatal(err)
	}
	want, err := jpeg.Decode(bytes.NewReader(whole))
	if err != nil {
		t.Fatal(err)
	}
	for _, rows := range []int{16, 48, 160, 288} {
		joined, err := encodeStrips(img, 85, rows)
		if err != nil {
			t.Fatalf("rows %d: %v", rows, err)
		}
		got, err := jpeg.Decode(bytes.NewReader(joined))
		if err != nil {
			t.Fatalf("rows %d: decode: %v", rows, err)
		}
		g, w := got.(*image.YCbCr), want.(*image.YCbCr)
		if g.Rect != w.Rect || !bytes.Equal(g.Y, w.Y) || !bytes.Equal(g.Cb, w.Cb) || !bytes.Equal(g.Cr, w.Cr) {
			t.Errorf("rows %d: decodes to other pixels than one encoding (%v, want %v)", rows, g.Rect, w.Rect)
		}
		// Per strip: a restart marker, padding, and a first DC value coded
		// from zero.
		if extra := len(joined) - len(whole); extra < 0 || extra > 6+8*(300/rows+1) {
			t.Errorf("rows %d: %d bytes, one encoding %d", rows, len(joined), len(whole))
		}
	}
}
