package imaging

import (
	"bytes"
	"encoding/binary"
)

// jpegInfo is what Prepare needs from a JPEG's header segments.
type jpegInfo struct {
	orientation int  // EXIF orientation 1–8 (1 when absent or invalid)
	progressive bool // a progressive SOF marker was seen
	metadata    bool // an APP1 (Exif, XMP) or APP13 (IPTC) segment is present
	// sampleNum/sampleDen is the number of samples per pixel over all
	// components (3/2 for 4:2:0 YCbCr): the sum of the components'
	// H×V sampling factors over Hmax×Vmax. Zero when no frame header was
	// read.
	sampleNum, sampleDen int
}

// scanJPEG walks the marker segments of a JPEG up to the first scan and
// collects the EXIF orientation, whether the JPEG is progressive, its
// components' sampling and whether it carries APP1 or APP13 metadata. It
// never fails: on malformed input it returns what it found so far, and the
// decoder reports the corruption.
func scanJPEG(data []byte) jpegInfo {
	info := jpegInfo{orientation: 1}
	pos := 2 // after SOI
	for pos+4 <= len(data) {
		if data[pos] != 0xFF {
			return info
		}
		marker := data[pos+1]
		switch {
		case marker == 0xFF: // fill byte
			pos++
			continue
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // no length
			pos += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return info
		}
		n := int(binary.BigEndian.Uint16(data[pos+2:]))
		if n < 2 || pos+2+n > len(data) {
			return info
		}
		readSegment(&info, marker, data[pos+4:pos+2+n])
		pos += 2 + n
	}
	return info
}

// readSegment updates info from one marker segment's payload.
func readSegment(info *jpegInfo, marker byte, payload []byte) {
	switch marker {
	case 0xE1: // APP1: Exif or XMP
		info.metadata = true
		if rest, ok := bytes.CutPrefix(payload, []byte("Exif\x00\x00")); ok && info.orientation == 1 {
			info.orientation = tiffOrientation(rest)
		}
	case 0xED: // APP13: Photoshop IPTC (captions, places, names)
		info.metadata = true
	case 0xC2, 0xC6, 0xCA, 0xCE: // progressive SOF markers
		info.progressive = true
		readFrame(info, payload)
	case 0xC0, 0xC1, 0xC3, 0xC5, 0xC7, 0xC9, 0xCB, 0xCD, 0xCF: // other SOF markers
		readFrame(info, payload)
	}
}

// readFrame reads the components' sampling factors from a start-of-frame
// payload: precision, height, width, count, then per component its id,
// H<<4|V factors and quantisation table.
func readFrame(info *jpegInfo, payload []byte) {
	if len(payload) < 6 || info.sampleDen != 0 {
		return
	}
	n := int(payload[5])
	if n == 0 || len(payload) < 6+3*n {
		return
	}
	num, hmax, vmax := 0, 1, 1
	for c := range n {
		hv := payload[6+3*c+1]
		h, v := max(int(hv>>4), 1), max(int(hv&0x0F), 1)
		num += h * v
		hmax, vmax = max(hmax, h), max(vmax, v)
	}
	info.sampleNum, info.sampleDen = num, hmax*vmax
}

// tagOrientation is the TIFF/EXIF Orientation tag in IFD0.
const tagOrientation = 0x0112

// tiffOrientation returns the Orientation tag (1–8) of IFD0 of a TIFF
// structure (an EXIF payload or a whole TIFF file), in either byte order.
// It returns 1 when the tag is absent, malformed or out of range.
func tiffOrientation(b []byte) int {
	if len(b) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(b[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(b[2:]) != 42 {
		return 1
	}
	ifd := uint64(order.Uint32(b[4:]))
	if ifd+2 > uint64(len(b)) {
		return 1
	}
	count := uint64(order.Uint16(b[ifd:]))
	for i := range count {
		e := ifd + 2 + 12*i
		if e+12 > uint64(len(b)) {
			return 1
		}
		if order.Uint16(b[e:]) != tagOrientation {
			continue
		}
		return orientationValue(order, b[e:e+12])
	}
	return 1
}

// orientationValue decodes the value of a 12-byte Orientation IFD entry.
func orientationValue(order binary.ByteOrder, entry []byte) int {
	var v int
	switch order.Uint16(entry[2:]) { // field type
	case 3: // SHORT
		v = int(order.Uint16(entry[8:]))
	case 4: // LONG
		v = int(order.Uint32(entry[8:]))
	default:
		return 1
	}
	if v < 1 || v > 8 {
		return 1
	}
	return v
}
