package imaging

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// jpegHeader returns SOI and a start-of-frame segment (marker sof) declaring
// w×h with three components, then the start of a scan: enough for
// DecodeConfig.
func jpegHeader(sof byte, w, h uint16) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, sof, 0, 17, 8}
	b = binary.BigEndian.AppendUint16(b, h)
	b = binary.BigEndian.AppendUint16(b, w)
	b = append(b, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1)
	return append(b, 0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0)
}

// noise returns a w×h image of pseudo-random pixels, which JPEG cannot
// compress much.
func noise(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.Uint32())
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 0xFF
	}
	return img
}

func TestPrepareRejects(t *testing.T) {
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i*7 + i/13)
	}
	pngData := encodeAs(t, "png", standard.image(32, 32))
	jpegData := encodeAs(t, "jpeg", photo(256, 256))
	gifHeader := func(w, h uint16) []byte {
		b := binary.LittleEndian.AppendUint16([]byte("GIF89a"), w)
		b = binary.LittleEndian.AppendUint16(b, h)
		return append(b, 0, 0, 0, ',', 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0, ';')
	}
	vp8x := func(flags byte, w, h uint32) []byte {
		p := []byte{flags, 0, 0, 0}
		p = append(p, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
		p = append(p, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
		return riffWebP("VP8X", p)
	}
	bmpHeader := func(w, h int32) []byte {
		b := []byte("BM")
		b = binary.LittleEndian.AppendUint32(b, 54)
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint32(b, 54)
		b = binary.LittleEndian.AppendUint32(b, 40)
		b = binary.LittleEndian.AppendUint32(b, uint32(w))
		b = binary.LittleEndian.AppendUint32(b, uint32(h))
		b = binary.LittleEndian.AppendUint16(b, 1)
		b = binary.LittleEndian.AppendUint16(b, 24)
		return append(b, make([]byte, 24)...)
	}
	png16 := pngHeader(800, 800)
	png16[8+8+8] = 16 // bit depth of IHDR
	png16 = append(png16[:8], pngChunk("IHDR", png16[16:29])...)
	mp := Options{MaxInputPixels: 1_000_000}
	grayPNG := pngHeader(10_000, 10_000)
	grayPNG = append(grayPNG[:8], pngChunk("IHDR", append(grayPNG[16:24:24], 8, 0, 0, 0, 0))...)
	mb := func(n int64) Options { return Options{MaxDecodeBytes: n} }
	tests := []struct {
		name     string
		data     []byte
		declared string
		opt      Options
		want     error
		detail   string // substring of the error message
	}{
		{"empty", nil, "image/jpeg", Options{}, ErrNotImage, "empty"},
		{"garbage", garbage, "image/jpeg", Options{}, ErrNotImage, `declared "image/jpeg"`},
		{"html", []byte("<!DOCTYPE html><html><body>hi</body></html>"), "text/html", Options{}, ErrNotImage, "text/html"},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "image/png", Options{}, ErrNotImage, ""},
		{"truncated jpeg", jpegData[:len(jpegData)/2], "image/jpeg", Options{}, ErrNotImage, "truncated"},
		{"truncated png", pngData[:len(pngData)-20], "image/png", Options{}, ErrNotImage, "truncated"},
		{"header-only jpeg", jpegHeader(0xC0, 64, 64), "", Options{}, ErrNotImage, "jpeg"},
		{"zero-size gif", gifHeader(0, 0), "", Options{}, ErrNotImage, "0×0"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), "image/heic", Options{}, ErrUnsupported, "image/heic"},
		{"avif", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), "", Options{}, ErrUnsupported, "image/avif"},
		{"animated webp", vp8x(1<<1, 64, 64), "image/webp", Options{}, ErrUnsupported, "animated"},
		{"arithmetic-coded jpeg", jpegHeader(0xC9, 64, 64), "", Options{}, ErrUnsupported, ""},
		{"over MaxInputBytes", pngData, "", Options{MaxInputBytes: int64(len(pngData) - 1)}, ErrTooLarge, "bytes"},
		{"png bomb", pngHeader(100_000, 100_000), "", Options{}, ErrTooLarge, "100000×100000"},
		{"gif bomb", gifHeader(65535, 65535), "", Options{}, ErrTooLarge, "65535×65535"},
		{"jpeg bomb", jpegHeader(0xC0, 65535, 65535), "", Options{}, ErrTooLarge, ""},
		{"bmp bomb", bmpHeader(100_000, 100_000), "", Options{}, ErrTooLarge, ""},
		{"webp bomb", vp8x(0, 16384, 16384), "", Options{}, ErrTooLarge, ""},
		{"progressive jpeg counts 4×", jpegHeader(0xC2, 600, 500), "", mp, ErrTooLarge, "weight 4"},
		{"baseline jpeg of that size passes the check", jpegHeader(0xC0, 600, 500), "", mp, ErrNotImage, ""},
		{"16-bit png counts 2×", png16, "", mp, ErrTooLarge, "weight 2"},
		{"8-bit png of that size passes the check", pngHeader(800, 800), "", mp, ErrNotImage, ""},
		{"10000×10000 rgba png needs 400 MB", pngHeader(10_000, 10_000), "", Options{}, ErrTooLarge, "MB to decode"},
		{"10000×10000 gray png needs 100 MB", grayPNG, "", Options{}, ErrNotImage, ""},
		{"4:2:0 jpeg needs 1.5 bytes per pixel", jpegHeader(0xC0, 1000, 1000), "", mb(1_400_000), ErrTooLarge, "MB to decode"},
		{"4:2:0 jpeg within the byte limit", jpegHeader(0xC0, 1000, 1000), "", mb(1_600_000), ErrNotImage, ""},
		{"progressive jpeg keeps coefficients", jpegHeader(0xC2, 1000, 1000), "", mb(7_400_000), ErrTooLarge, "MB to decode"},
		{"data URI limit below any JPEG", pngData, "", Options{MaxDataURIBytes: 100}, ErrTooLarge, "data URI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r, err := Prepare(tt.data, tt.declared, tt.opt)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Prepare = %+v, %v; want error %v", r, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q does not mention %q", err, tt.detail)
			}
			for _, other := range []error{ErrNotImage, ErrTooLarge, ErrUnsupported} {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("error %q also matches %v", err, other)
				}
			}
			// Bombs must be rejected from the header, before any pixel
			// buffer is allocated.
			if grew := after.TotalAlloc - before.TotalAlloc; tt.want == ErrTooLarge && grew > 8<<20 {
				t.Errorf("rejecting allocated %d MB", grew>>20)
			}
		})
	}
}

func TestPrepareDataURILimit(t *testing.T) {
	data := encodeAs(t, "png", noise(300, 200))
	full, err := Prepare(data, "", Options{})
	if err != nil {
		t.Fatalf("Prepare without limit: %v", err)
	}
	tests := []struct {
		name      string
		limit     int
		sameSize  bool // fits by lowering the quality alone
		wantColor color.Color
	}{
		{"lower quality", dataURILen(mimeJPEG, len(full.Data)) - 1, true, nil},
		{"smaller size", 12_000, false, nil},
		{"tiny", 1_500, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Prepare(data, "", Options{MaxDataURIBytes: tt.limit})
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if n := len("data:" + r.MIME + ";base64," + base64.StdEncoding.EncodeToString(r.Data)); n > tt.limit {
				t.Errorf("data URI is %d bytes, limit %d", n, tt.limit)
			}
			if same := r.Width == 300 && r.Height == 200; same != tt.sameSize {
				t.Errorf("size %dx%d, want unchanged = %v", r.Width, r.Height, tt.sameSize)
			}
			if r.Width*2 != r.Height*3 && r.Width > 30 {
				t.Errorf("size %dx%d lost the 3:2 aspect ratio", r.Width, r.Height)
			}
			decodeResult(t, r)
		})
	}
}
