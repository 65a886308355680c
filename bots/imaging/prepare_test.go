package imaging

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"testing"
)

func TestPrepareFormats(t *testing.T) {
	img := standard.image(128, 64)
	webpImg := twoTone{W: 128, H: 64, R: 255, B: 0, G: [2]uint8{0, 255}, A: [2]uint8{255, 255},
		Pixel: func(x, y int) (int, int) { return x * 2 / 128, 0 }}
	tests := []struct {
		name     string
		data     []byte
		declared string
		wantMIME string
		want     quadrants
		same     bool // input passed through unchanged
	}{
		{"jpeg", encodeAs(t, "jpeg", img), "image/jpeg", mimeJPEG, standard, true},
		{"png", encodeAs(t, "png", img), "image/png", mimePNG, standard, true},
		{"png declared as jpeg", encodeAs(t, "png", img), "image/jpeg", mimePNG, standard, true},
		{"gif", encodeAs(t, "gif", img), "image/gif", mimeJPEG, standard, false},
		{"bmp", encodeAs(t, "bmp", img), "", mimeJPEG, standard, false},
		{"tiff", encodeAs(t, "tiff", img), "application/octet-stream", mimeJPEG, standard, false},
		{"webp", webpImg.encode(), "image/webp", mimeJPEG, quadrants{red, yellow, red, yellow}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Prepare(tt.data, tt.declared, Options{})
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if r.MIME != tt.wantMIME {
				t.Errorf("MIME = %q, want %q", r.MIME, tt.wantMIME)
			}
			if same := bytes.Equal(r.Data, tt.data); same != tt.same {
				t.Errorf("passed through = %v, want %v", same, tt.same)
			}
			if r.Width != 128 || r.Height != 64 || r.OrigWidth != 128 || r.OrigHeight != 64 {
				t.Errorf("size %dx%d from %dx%d, want 128x64 from 128x64", r.Width, r.Height, r.OrigWidth, r.OrigHeight)
			}
			if r.OrigBytes != len(tt.data) {
				t.Errorf("OrigBytes = %d, want %d", r.OrigBytes, len(tt.data))
			}
			checkQuadrants(t, decodeResult(t, r), tt.want)
		})
	}
}

func TestPrepareOrientation(t *testing.T) {
	// Expected display of the standard pattern (stored 128×64) for each
	// EXIF orientation, written out from the EXIF specification's
	// description of where the stored 0th row and 0th column go.
	tests := []struct {
		orientation uint16
		portrait    bool
		want        quadrants
	}{
		{1, false, quadrants{red, green, blue, yellow}},
		{2, false, quadrants{green, red, yellow, blue}}, // mirrored horizontally
		{3, false, quadrants{yellow, blue, green, red}}, // rotated 180°
		{4, false, quadrants{blue, yellow, red, green}}, // mirrored vertically
		{5, true, quadrants{red, blue, green, yellow}},  // row 0 left, column 0 top
		{6, true, quadrants{blue, red, yellow, green}},  // row 0 right, column 0 top
		{7, true, quadrants{yellow, green, blue, red}},  // row 0 right, column 0 bottom
		{8, true, quadrants{green, yellow, red, blue}},  // row 0 left, column 0 bottom
	}
	stored := encodeAs(t, "jpeg", standard.image(128, 64))
	orders := []struct {
		name  string
		order binary.AppendByteOrder
	}{{"little-endian", binary.LittleEndian}, {"big-endian", binary.BigEndian}}
	for _, tt := range tests {
		for _, o := range orders {
			t.Run(o.name+"/"+string(rune('0'+tt.orientation)), func(t *testing.T) {
				r, err := Prepare(withExif(t, stored, tt.orientation, o.order), "image/jpeg", Options{})
				if err != nil {
					t.Fatalf("Prepare: %v", err)
				}
				w, h := 128, 64
				if tt.portrait {
					w, h = h, w
				}
				if r.Width != w || r.Height != h || r.OrigWidth != w || r.OrigHeight != h {
					t.Errorf("size %dx%d from %dx%d, want %dx%d", r.Width, r.Height, r.OrigWidth, r.OrigHeight, w, h)
				}
				if r.MIME != mimeJPEG || bytes.Contains(r.Data, []byte("Exif\x00\x00")) {
					t.Errorf("output (%s) must be a re-encoded JPEG without Exif", r.MIME)
				}
				checkQuadrants(t, decodeResult(t, r), tt.want)
			})
		}
	}
}

func TestPrepareDownscales(t *testing.T) {
	photo := struct{ w, h, maxPx, wantW, wantH int }{4000, 3000, DefaultMaxPixels, 1869, 1402}
	if raceEnabled {
		photo = struct{ w, h, maxPx, wantW, wantH int }{1000, 750, DefaultMaxPixels / 16, 467, 350}
	}
	tests := []struct {
		name         string
		w, h         int
		opt          Options
		wantW, wantH int
		orientation  uint16
		stored, want quadrants
	}{
		{"12MP phone photo", photo.w, photo.h, Options{MaxPixels: photo.maxPx}, photo.wantW, photo.wantH, 1, standard, standard},
		{"rotated phone photo", 400, 300, Options{MaxPixels: 30_000}, 150, 200, 6, standard, quadrants{blue, red, yellow, green}},
		{"panorama", 1000, 100, Options{MaxPixels: 10_000}, 310, 31, 1, standard, standard},
		{"tall strip", 10, 5000, Options{MaxPixels: 1000}, 1, 500, 1, quadrants{red, red, blue, blue}, quadrants{red, red, blue, blue}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := encodeAs(t, "jpeg", tt.stored.image(tt.w, tt.h))
			if tt.orientation != 1 {
				data = withExif(t, data, tt.orientation, binary.LittleEndian)
			}
			r, err := Prepare(data, "image/jpeg", tt.opt)
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if r.Width*r.Height > tt.opt.MaxPixels {
				t.Errorf("%dx%d = %d px, over budget %d", r.Width, r.Height, r.Width*r.Height, tt.opt.MaxPixels)
			}
			if r.Width != tt.wantW || r.Height != tt.wantH {
				t.Errorf("size %dx%d, want %dx%d", r.Width, r.Height, tt.wantW, tt.wantH)
			}
			inAspect := float64(r.OrigWidth) / float64(r.OrigHeight)
			outAspect := float64(r.Width) / float64(r.Height)
			if math.Abs(outAspect/inAspect-1) > 0.01 {
				t.Errorf("aspect %.4f, input %.4f: off by more than 1%%", outAspect, inAspect)
			}
			if want := tokens(r.Width, r.Height, tt.opt.withDefaults()); r.Tokens != want {
				t.Errorf("Tokens = %d, want %d", r.Tokens, want)
			}
			checkQuadrants(t, decodeResult(t, r), tt.want)
		})
	}
}

func TestPrepareTiny(t *testing.T) {
	one := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	one.SetNRGBA(0, 0, blue)
	clear1 := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	tests := []struct {
		name     string
		data     []byte
		wantMIME string
		want     color.NRGBA
	}{
		{"jpeg", encodeAs(t, "jpeg", one), mimeJPEG, blue},
		{"png", encodeAs(t, "png", one), mimePNG, blue},
		{"transparent png", encodeAs(t, "png", clear1), mimeJPEG, white},
		{"gif", encodeAs(t, "gif", one), mimeJPEG, blue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Prepare(tt.data, "", Options{})
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if r.Width != 1 || r.Height != 1 || r.MIME != tt.wantMIME {
				t.Errorf("got %dx%d %s, want 1x1 %s", r.Width, r.Height, r.MIME, tt.wantMIME)
			}
			if r.Tokens != 64 { // the server upscales to min_pixels 65536 = 8×8 patches
				t.Errorf("Tokens = %d, want 64", r.Tokens)
			}
			if got := nearest(decodeResult(t, r).At(0, 0)); got != tt.want {
				t.Errorf("pixel = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPrepareTransparency(t *testing.T) {
	// Left half fully transparent, right half 50% blue.
	half := color.NRGBA{0, 0, 255, 128}
	nrgba := image.NewNRGBA(image.Rect(0, 0, 64, 32))
	for y := range 32 {
		for x := 32; x < 64; x++ {
			nrgba.SetNRGBA(x, y, half)
		}
	}
	// GIF has no partial transparency: its right half is opaque blue.
	pal := image.NewPaletted(image.Rect(0, 0, 64, 32), color.Palette{color.NRGBA{}, blue})
	for y := range 32 {
		for x := 32; x < 64; x++ {
			pal.SetColorIndex(x, y, 1)
		}
	}
	webpImg := twoTone{W: 64, H: 32, R: 0, B: 255, G: [2]uint8{0, 1}, A: [2]uint8{0, 128},
		Pixel: func(x, y int) (int, int) { return 0, x / 32 }}
	// 50% blue over white is (127, 127, 255).
	wantRight := color.NRGBA{127, 127, 255, 255}
	tests := []struct {
		name      string
		data      []byte
		wantRight color.NRGBA
	}{
		{"png", encodeAs(t, "png", nrgba), wantRight},
		{"gif", encodeAs(t, "gif", pal), blue},
		{"webp", webpImg.encode(), wantRight},
		{"tiff", encodeAs(t, "tiff", nrgba), wantRight},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Prepare(tt.data, "", Options{})
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if r.MIME != mimeJPEG {
				t.Fatalf("MIME = %q, want JPEG (transparency must be flattened)", r.MIME)
			}
			img := decodeResult(t, r)
			left := color.NRGBAModel.Convert(img.At(16, 16)).(color.NRGBA)
			right := color.NRGBAModel.Convert(img.At(48, 16)).(color.NRGBA)
			if !near(left, white, 6) {
				t.Errorf("transparent area = %v, want white", left)
			}
			if !near(right, tt.wantRight, 8) {
				t.Errorf("right half = %v, want about %v", right, tt.wantRight)
			}
		})
	}
}

// near reports whether a and b differ by at most tol in every channel.
func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

func TestPreparePassThrough(t *testing.T) {
	opaque := standard.image(64, 64)
	noisy := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range noisy.Pix {
		noisy.Pix[i] = uint8(i * i * 31 >> 3)
	}
	alpha := standard.image(64, 64)
	alpha.SetNRGBA(0, 0, color.NRGBA{})
	gray := image.NewGray(image.Rect(0, 0, 64, 64))
	plain := encodeAs(t, "png", opaque)
	noisyPNG := encodeAs(t, "png", noisy)
	tests := []struct {
		name string
		data []byte
		opt  Options
		want bool
	}{
		{"opaque png", plain, Options{}, true},
		{"gray jpeg", encodeAs(t, "jpeg", gray), Options{}, true},
		{"png with alpha", encodeAs(t, "png", alpha), Options{}, false},
		{"png with eXIf", withPNGChunk(plain, "eXIf", []byte("MM\x00*\x00\x00\x00\x08\x00\x00")), Options{}, false},
		{"png with xmp in iTXt", withPNGChunk(plain, "iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta/>")), Options{}, false},
		{"png with tEXt", withPNGChunk(plain, "tEXt", []byte("Location\x0048.85,2.35")), Options{}, false},
		{"jpeg with Exif orientation 1", withExif(t, encodeAs(t, "jpeg", opaque), 1, binary.BigEndian), Options{}, false},
		{"jpeg with IPTC", withJPEGSegment(encodeAs(t, "jpeg", gray), 0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00")), Options{}, false},
		{"jpeg over budget", encodeAs(t, "jpeg", opaque), Options{MaxPixels: 1000}, false},
		{"png over data URI limit", noisyPNG, Options{MaxDataURIBytes: dataURILen(mimePNG, len(noisyPNG)) - 1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Prepare(tt.data, "", tt.opt)
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if got := bytes.Equal(r.Data, tt.data); got != tt.want {
				t.Errorf("passed through = %v, want %v", got, tt.want)
			}
			if !tt.want && (r.MIME != mimeJPEG || bytes.Contains(r.Data, []byte("Exif")) ||
				bytes.Contains(r.Data, []byte("xmpmeta")) || bytes.Contains(r.Data, []byte("8BIM"))) {
				t.Errorf("re-encoded output is %s, want a JPEG without metadata", r.MIME)
			}
			decodeResult(t, r)
		})
	}
}
