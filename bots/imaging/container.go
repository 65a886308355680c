package imaging

import (
	"encoding/binary"
)

// pngHasMetadata reports whether a PNG file has a metadata chunk that may
// describe the picture or where it was taken: eXIf (camera metadata) or a
// text chunk (tEXt, zTXt, iTXt; XMP, possibly with GPS, lives in iTXt).
// Malformed chunk structure stops the scan.
func pngHasMetadata(data []byte) bool {
	pos := 8 // after the signature
	for pos+8 <= len(data) {
		n := int64(binary.BigEndian.Uint32(data[pos:]))
		typ := string(data[pos+4 : pos+8])
		switch typ {
		case "eXIf", "tEXt", "zTXt", "iTXt":
			return true
		case "IEND":
			return false
		}
		next := int64(pos) + 12 + n // length, type, data, CRC
		if next > int64(len(data)) {
			return false
		}
		pos = int(next)
	}
	return false
}

// webpAnimated reports whether a WebP file's VP8X header has the animation
// flag set; golang.org/x/image/webp cannot decode animations.
func webpAnimated(data []byte) bool {
	const animationBit = 1 << 1
	return len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&animationBit != 0
}
