package imaging

import (
	"bytes"
	"encoding/binary"
	"image"
	"os"
	"path/filepath"
	"testing"
)

// prepareUnpiped is Prepare with resampling after decoding, as it was
// before decodePiped: the reference the pipelined output must equal.
func prepareUnpiped(tb testing.TB, data []byte, opt Options) (Result, error) {
	tb.Helper()
	opt = opt.withDefaults()
	in, err := open(data, "", opt)
	if err != nil {
		return Result{}, err
	}
	src, err := in.decode()
	if err != nil {
		return Result{}, err
	}
	img := shrunk(src.img, opt.MaxPixels, src.orientation)
	if m, ok := img.(*image.RGBA); ok && !opaque(src.img) {
		flattenOnWhite(m)
	}
	img = orientImage(img, src.orientation)
	out, img, err := encodeFitting(img, nil, opt)
	if err != nil {
		return Result{}, err
	}
	return Result{Data: out, Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}, nil
}

// fixture reads a JPEG from fastjpeg's test data.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("internal", "fastjpeg", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// twoScans returns jpg with its scan repeated before the end-of-image
// marker: a malformed file whose reported rows are written again.
func twoScans(tb testing.TB, jpg []byte) []byte {
	tb.Helper()
	sos := bytes.Index(jpg, []byte{0xFF, 0xDA})
	if sos < 0 {
		tb.Fatal("no SOS marker")
	}
	out := append([]byte(nil), jpg[:len(jpg)-2]...)
	return append(out, jpg[sos:]...)
}

// TestPreparePipedMatchesUnpiped checks that resampling a JPEG while it
// decodes gives the same bytes as resampling after decoding, for each
// subsampling, the files that cannot be followed (gray, progressive,
// 4:1:1, CMYK, RGB) and EXIF rotations, and that it was used where it can.
func TestPreparePipedMatchesUnpiped(t *testing.T) {
	colour := encodeAs(t, "jpeg", photo(1001, 751))
	small := Options{MaxPixels: 5000}
	tests := []struct {
		name  string
		data  []byte
		opt   Options
		piped bool
	}{
		{"4:2:0", colour, Options{MaxPixels: 300_000}, true},
		{"4:2:0 encoded in strips", colour, Options{MaxPixels: 600_000}, true},
		{"4:2:0 in strips, too large at first quality", colour, Options{MaxPixels: 600_000, MaxDataURIBytes: 60_000}, true},
		{"4:2:0 in strips, exif 8", withExif(t, colour, 8, binary.BigEndian), Options{MaxPixels: 600_000}, true},
		{"4:2:0 odd size", encodeAs(t, "jpeg", photo(333, 217)), small, true},
		{"4:2:0 exif 6", withExif(t, colour, 6, binary.BigEndian), Options{MaxPixels: 300_000}, true},
		{"4:2:0 exif 3", withExif(t, colour, 3, binary.LittleEndian), Options{MaxPixels: 300_000}, true},
		{"4:2:0 restart markers", fixture(t, "video-001.restart2.jpeg"), small, true},
		{"4:2:0 fixture", fixture(t, "video-001.q50.420.jpeg"), small, true},
		{"4:2:2", fixture(t, "video-001.q50.422.jpeg"), small, true},
		{"4:4:4", fixture(t, "video-001.q50.444.jpeg"), small, true},
		{"4:4:0", fixture(t, "video-001.q50.440.jpeg"), small, true},
		{"4:1:1", fixture(t, "video-001.q50.411.jpeg"), small, false},
		{"gray", fixture(t, "video-005.gray.q50.jpeg"), small, false},
		{"progressive 4:2:0", fixture(t, "video-001.q50.420.progressive.jpeg"), small, false},
		{"progressive gray", fixture(t, "video-005.gray.q50.progressive.jpeg"), small, false},
		{"cmyk", fixture(t, "video-001.cmyk.jpeg"), small, false},
		{"rgb", fixture(t, "video-001.rgb.jpeg"), small, false},
		{"scan written twice", twoScans(t, fixture(t, "video-001.q50.420.jpeg")), small, false},
		{"truncated", colour[:len(colour)/2], Options{MaxPixels: 300_000}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, gotErr := Prepare(tt.data, "image/jpeg", tt.opt)
			want, wantErr := prepareUnpiped(t, tt.data, tt.opt)
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("error %v, unpiped %v", gotErr, wantErr)
			}
			if !bytes.Equal(got.Data, want.Data) || got.Width != want.Width || got.Height != want.Height {
				t.Errorf("piped output %d×%d (%d bytes) differs from unpiped %d×%d (%d bytes)",
					got.Width, got.Height, len(got.Data), want.Width, want.Height, len(want.Data))
			}
			in, err := open(tt.data, "", tt.opt.withDefaults())
			if err != nil {
				t.Fatal(err)
			}
			w, h := fitPixels(in.cfg.Width, in.cfg.Height, tt.opt.MaxPixels)
			if _, img, _, _ := in.decodePiped(w, h, 0, image.YCbCrSubsampleRatio420); (img != nil) != tt.piped {
				t.Errorf("resampled while decoding: %v, want %v", img != nil, tt.piped)
			}
		})
	}
}

// TestPipeEncodesLikeEncodeImage checks the strips encoded while
// decoding, joined, against encodeImage on the pipelined image.
func TestPipeEncodesLikeEncodeImage(t *testing.T) {
	data := encodeAs(t, "jpeg", photo(1600, 1200))
	in, err := open(data, "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, img, got, err := in.decodePiped(1200, 900, 80, image.YCbCrSubsampleRatio420)
	if err != nil || img == nil || got == nil {
		t.Fatalf("decodePiped: %v, image %v, encoding %v", err, img != nil, got != nil)
	}
	want, err := encodeImage(img, 80)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("encoded while decoding: %d bytes, encodeImage %d, not the same", len(got), len(want))
	}
}

// TestPipeScalesLikeResample checks the pipelined image itself, pixel for
// pixel, against resampleImage on the decoded source, with 4:4:4 and
// 4:2:0 chroma, at odd and even sizes.
func TestPipeScalesLikeResample(t *testing.T) {
	data := encodeAs(t, "jpeg", photo(1001, 751))
	in, err := open(data, "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420} {
		for _, size := range []image.Point{{517, 388}, {600, 451}} {
			src, img, _, err := in.decodePiped(size.X, size.Y, 0, ratio)
			if err != nil || img == nil {
				t.Fatalf("decodePiped: %v, image %v", err, img != nil)
			}
			want := resampleImage(src.img, size.X, size.Y, ratio).(*image.YCbCr)
			got, ok := img.(*image.YCbCr)
			if !ok || got.Rect != want.Rect || got.SubsampleRatio != ratio || want.SubsampleRatio != ratio ||
				!bytes.Equal(got.Y, want.Y) || !bytes.Equal(got.Cb, want.Cb) || !bytes.Equal(got.Cr, want.Cr) {
				t.Errorf("%v at %v: pipelined image differs from resample's", ratio, size)
			}
		}
	}
}

// FuzzPipedPrepare checks that Prepare, resampling JPEGs while they
// decode, fails exactly when and gives exactly what resampling after
// decoding does, on mutations of every kind of JPEG.
func FuzzPipedPrepare(f *testing.F) {
	for _, name := range []string{"video-001.q50.420.jpeg", "video-001.q50.422.jpeg", "video-001.q50.444.jpeg",
		"video-001.q50.440.jpeg", "video-001.q50.411.jpeg", "video-001.restart2.jpeg",
		"video-001.q50.420.progressive.jpeg", "video-005.gray.q50.jpeg"} {
		f.Add(fixture(f, name))
	}
	f.Add(withExif(f, fixture(f, "video-001.q50.420.jpeg"), 6, binary.BigEndian))
	opt := Options{MaxInputPixels: 1 << 20, MaxPixels: 2000}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, gotErr := Prepare(data, "image/jpeg", opt)
		want, wantErr := prepareUnpiped(t, data, opt)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("error %v, unpiped %v", gotErr, wantErr)
		}
		if gotErr == nil && got.MIME == mimeJPEG && !bytes.Equal(got.Data, data) && !bytes.Equal(got.Data, want.Data) {
			t.Fatalf("piped output (%d bytes) differs from unpiped (%d bytes)", len(got.Data), len(want.Data))
		}
	})
}
