package imaging

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"reflect"
	"testing"
)

// TestJPEGDecodesLikeImageJPEG checks that Prepare's JPEG decoder (the
// fastjpeg fork) yields image/jpeg's pixels, so everything after it, and
// the output's quality, is unchanged: colour, gray, a rotated photo and
// one with restart markers (as the strips Prepare writes have).
func TestJPEGDecodesLikeImageJPEG(t *testing.T) {
	src := photo(1001, 751)
	gray := image.NewGray(src.Rect)
	copy(gray.Pix, src.Y)
	colour := encodeAs(t, "jpeg", src)
	rows := stripRows(src.Rect, 7) // odd strips, so RST markers wrap past RST7
	if rows == 0 {
		t.Fatal("photo too small for strips")
	}
	restarts, err := encodeStrips(src, 90, rows)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"4:2:0", colour},
		{"gray", encodeAs(t, "jpeg", gray)},
		{"exif orientation 6", withExif(t, colour, 6, binary.BigEndian)},
		{"restart markers", restarts},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := open(tt.data, "image/jpeg", DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			src, err := in.decode()
			if err != nil {
				t.Fatal(err)
			}
			want, err := jpeg.Decode(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(src.img, want) {
				t.Errorf("decodes to other pixels than image/jpeg")
			}
		})
	}
}
