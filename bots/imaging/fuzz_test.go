package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"testing"
)

// FuzzPrepare checks that Prepare never panics and that every success is a
// well-formed result and every failure one of the three sentinels. The seeds
// cover each decoder, EXIF, truncation and header bombs.
func FuzzPrepare(f *testing.F) {
	img := standard.image(24, 16)
	transparent := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	jpg := encodeAs(f, "jpeg", img)
	seeds := [][]byte{
		jpg,
		withExif(f, jpg, 6, binary.BigEndian),
		withExif(f, jpg, 7, binary.LittleEndian),
		jpg[:len(jpg)/2],
		encodeAs(f, "png", img),
		encodeAs(f, "png", transparent),
		encodeAs(f, "gif", img),
		encodeAs(f, "bmp", img),
		encodeAs(f, "tiff", img),
		twoTone{W: 9, H: 5, R: 1, B: 2, G: [2]uint8{3, 4}, A: [2]uint8{0, 255},
			Pixel: func(x, y int) (int, int) { return x % 2, y % 2 }}.encode(),
		pngHeader(100_000, 100_000),
		jpegHeader(0xC2, 4000, 4000),
		[]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"),
		[]byte("<html></html>"),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	// A small pixel limit keeps each run fast and memory low.
	opt := Options{MaxInputPixels: 1 << 20, MaxPixels: 4096}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Prepare(data, "image/jpeg", opt)
		if err != nil {
			if !errors.Is(err, ErrNotImage) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error %q wraps no sentinel", err)
			}
			return
		}
		if mime, _ := Sniff(r.Data); mime != r.MIME {
			t.Fatalf("result content %q, MIME %q", mime, r.MIME)
		}
		if r.Width < 1 || r.Height < 1 || r.Width*r.Height > opt.MaxPixels {
			t.Fatalf("result %dx%d outside 1..%d px", r.Width, r.Height, opt.MaxPixels)
		}
		if r.MIME == mimeJPEG && !bytes.Equal(r.Data, data) && bytes.Contains(r.Data, []byte("Exif\x00\x00")) {
			t.Fatal("re-encoded result kept Exif metadata")
		}
		if dataURILen(r.MIME, len(r.Data)) > DefaultMaxDataURIBytes {
			t.Fatal("result over the data URI limit")
		}
	})
}

// FuzzTIFFOrientation checks the EXIF parser never panics and always yields
// a valid orientation.
func FuzzTIFFOrientation(f *testing.F) {
	f.Add(tiffWith(binary.LittleEndian, [3]uint32{tagOrientation, 3, 6}))
	f.Add(tiffWith(binary.BigEndian, [3]uint32{0x0100, 4, 64}, [3]uint32{tagOrientation, 4, 8}))
	f.Add([]byte("MM\x00*\xff\xff\xff\xf0"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := tiffOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
		info := scanJPEG(append([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, byte(len(data) + 8)}, append([]byte("Exif\x00\x00"), data...)...))
		if info.orientation < 1 || info.orientation > 8 {
			t.Fatalf("scanJPEG orientation %d", info.orientation)
		}
	})
}
