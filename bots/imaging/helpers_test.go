package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// Quadrant colours of the test pattern, far apart so JPEG artefacts cannot
// turn one into another.
var (
	red    = color.NRGBA{0xFF, 0x00, 0x00, 0xFF}
	green  = color.NRGBA{0x00, 0xFF, 0x00, 0xFF}
	blue   = color.NRGBA{0x00, 0x00, 0xFF, 0xFF}
	yellow = color.NRGBA{0xFF, 0xFF, 0x00, 0xFF}
	white  = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	black  = color.NRGBA{0x00, 0x00, 0x00, 0xFF}
)

// palette holds every colour a probe may classify a pixel as.
var palette = []color.NRGBA{red, green, blue, yellow, white, black}

// quadrants is a w×h pattern with a distinct colour in each quadrant
// (top-left red, top-right green, bottom-left blue, bottom-right yellow), so
// any flip or rotation is visible.
type quadrants [4]color.NRGBA

// standard is the quadrants pattern used throughout the tests.
var standard = quadrants{red, green, blue, yellow}

// image draws the pattern at w×h. Rows repeat, so all but two are copied:
// even 12 MP patterns are cheap under the race detector.
func (q quadrants) image(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		if y != 0 && y != h/2 {
			copy(row, img.Pix[(y-1)*img.Stride:])
			continue
		}
		for x := range w {
			i := 0
			if x >= w/2 {
				i++
			}
			if y >= h/2 {
				i += 2
			}
			c := q[i]
			copy(row[4*x:], []byte{c.R, c.G, c.B, c.A})
		}
	}
	return img
}

// checkQuadrants fails unless img shows pattern q, probing the centre of
// each quadrant and classifying the pixel as the nearest palette colour.
func checkQuadrants(tb testing.TB, img image.Image, q quadrants) {
	tb.Helper()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	probes := [4]image.Point{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}}
	names := [4]string{"top-left", "top-right", "bottom-left", "bottom-right"}
	for i, p := range probes {
		got := nearest(img.At(b.Min.X+p.X, b.Min.Y+p.Y))
		if got != q[i] {
			tb.Errorf("%s pixel at %v = %v, want %v", names[i], p, got, q[i])
		}
	}
}

// nearest classifies c as the closest palette colour.
func nearest(c color.Color) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	best, bestD := palette[0], 1<<30
	for _, p := range palette {
		d := sq(int(n.R)-int(p.R)) + sq(int(n.G)-int(p.G)) + sq(int(n.B)-int(p.B))
		if d < bestD {
			best, bestD = p, d
		}
	}
	return best
}

func sq(v int) int { return v * v }

// encodeAs encodes img in format ("jpeg", "png", "gif", "bmp", "tiff").
func encodeAs(tb testing.TB, format string, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95})
	case "png":
		err = png.Encode(&buf, img)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	case "bmp":
		err = bmp.Encode(&buf, img)
	case "tiff":
		err = tiff.Encode(&buf, img, nil)
	default:
		tb.Fatalf("unknown format %q", format)
	}
	if err != nil {
		tb.Fatalf("encode %s: %v", format, err)
	}
	return buf.Bytes()
}

// decodeResult decodes a Prepare result, checking its MIME type matches its
// content and its dimensions match the Result.
func decodeResult(tb testing.TB, r Result) image.Image {
	tb.Helper()
	if mime, _ := Sniff(r.Data); mime != r.MIME {
		tb.Fatalf("result content is %q, MIME says %q", mime, r.MIME)
	}
	var img image.Image
	var err error
	switch r.MIME {
	case mimeJPEG:
		img, err = jpeg.Decode(bytes.NewReader(r.Data))
	case mimePNG:
		img, err = png.Decode(bytes.NewReader(r.Data))
	default:
		tb.Fatalf("unexpected result MIME %q", r.MIME)
	}
	if err != nil {
		tb.Fatalf("decode result: %v", err)
	}
	if b := img.Bounds(); b.Dx() != r.Width || b.Dy() != r.Height {
		tb.Fatalf("result is %dx%d, Result says %dx%d", b.Dx(), b.Dy(), r.Width, r.Height)
	}
	return img
}

// withExif inserts an APP1 Exif segment with IFD0 Orientation o, in the
// given byte order, right after the SOI marker of a JPEG. A leading APP0
// segment is kept in front, as cameras write them.
func withExif(tb testing.TB, jpg []byte, o uint16, order binary.AppendByteOrder) []byte {
	tb.Helper()
	tiffHdr := []byte("II*\x00")
	if order == binary.AppendByteOrder(binary.BigEndian) {
		tiffHdr = []byte("MM\x00*")
	}
	var t []byte
	t = append(t, tiffHdr...)
	t = order.AppendUint32(t, 8) // IFD0 offset
	t = order.AppendUint16(t, 2) // two entries
	// An unrelated entry first (ImageWidth, LONG) so the parser must walk.
	t = order.AppendUint16(t, 0x0100)
	t = order.AppendUint16(t, 4)
	t = order.AppendUint32(t, 1)
	t = order.AppendUint32(t, 64)
	t = order.AppendUint16(t, tagOrientation)
	t = order.AppendUint16(t, 3) // SHORT
	t = order.AppendUint32(t, 1)
	t = order.AppendUint16(t, o)
	t = order.AppendUint16(t, 0)
	t = order.AppendUint32(t, 0) // no next IFD
	payload := append([]byte("Exif\x00\x00"), t...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	app0 := []byte("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app0...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// withJPEGSegment inserts a marker segment right after the SOI of a JPEG.
func withJPEGSegment(jpg []byte, marker byte, payload []byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, 0xFF, marker)
	out = binary.BigEndian.AppendUint16(out, uint16(len(payload)+2))
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// pngChunk returns a PNG chunk with a valid CRC.
func pngChunk(typ string, data []byte) []byte {
	var c []byte
	c = binary.BigEndian.AppendUint32(c, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// withPNGChunk inserts a chunk right after a PNG's IHDR chunk.
func withPNGChunk(pngData []byte, typ string, data []byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	out := append([]byte{}, pngData[:ihdrEnd]...)
	out = append(out, pngChunk(typ, data)...)
	return append(out, pngData[ihdrEnd:]...)
}

// pngHeader returns a PNG signature and IHDR declaring w×h RGBA, with no
// image data: enough for DecodeConfig.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}
