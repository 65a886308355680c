package imaging

import (
	"bytes"
	"encoding/binary"
)

// MIME types recognised by Sniff.
const (
	mimeJPEG = "image/jpeg"
	mimePNG  = "image/png"
	mimeGIF  = "image/gif"
	mimeWebP = "image/webp"
	mimeBMP  = "image/bmp"
	mimeTIFF = "image/tiff"
	mimeHEIC = "image/heic"
	mimeHEIF = "image/heif"
	mimeAVIF = "image/avif"
	mimeJXL  = "image/jxl"
	mimeJP2  = "image/jp2"
	mimeICO  = "image/x-icon"
)

// Sniff reports the image format of data by its content, ignoring any name
// or declared type. ok is false when data is not a recognised image format.
// A recognised format is not necessarily decodable: Prepare decodes JPEG,
// PNG, GIF, WebP, BMP and TIFF and returns ErrUnsupported for the others
// (image/heic, image/heif, image/avif, image/jxl, image/jp2, image/x-icon).
func Sniff(data []byte) (mime string, ok bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return mimeJPEG, true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return mimePNG, true
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return mimeGIF, true
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return mimeWebP, true
	case isBMP(data):
		return mimeBMP, true
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return mimeTIFF, true
	case bytes.HasPrefix(data, []byte{0xFF, 0x0A}),
		bytes.HasPrefix(data, []byte("\x00\x00\x00\x0cJXL \r\n\x87\n")):
		return mimeJXL, true
	case bytes.HasPrefix(data, []byte("\x00\x00\x00\x0cjP  \r\n\x87\n")):
		return mimeJP2, true
	case bytes.HasPrefix(data, []byte{0, 0, 1, 0}) && len(data) >= 6 && data[4]|data[5] != 0:
		return mimeICO, true
	}
	return sniffISOBMFF(data)
}

// isBMP reports a BMP file header ("BM") followed by a known DIB header size.
func isBMP(data []byte) bool {
	if len(data) < 18 || data[0] != 'B' || data[1] != 'M' {
		return false
	}
	switch binary.LittleEndian.Uint32(data[14:18]) {
	case 12, 16, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// sniffISOBMFF recognises HEIF-family files (HEIC, AVIF) by the major brand
// of their leading "ftyp" box.
func sniffISOBMFF(data []byte) (string, bool) {
	if len(data) < 12 || string(data[4:8]) != "ftyp" {
		return "", false
	}
	switch string(data[8:12]) {
	case "heic", "heix", "hevc", "hevx", "heim", "heis":
		return mimeHEIC, true
	case "mif1", "msf1":
		return mimeHEIF, true
	case "avif", "avis":
		return mimeAVIF, true
	}
	return "", false
}
