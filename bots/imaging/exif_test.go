package imaging

import (
	"encoding/binary"
	"testing"
)

// tiffWith returns a TIFF structure whose IFD0 holds the given entries
// (tag, type, value), in byte order bo.
func tiffWith(bo binary.AppendByteOrder, entries ...[3]uint32) []byte {
	b := []byte("II*\x00")
	if bo == binary.AppendByteOrder(binary.BigEndian) {
		b = []byte("MM\x00*")
	}
	b = bo.AppendUint32(b, 8)
	b = bo.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		b = bo.AppendUint16(b, uint16(e[0]))
		b = bo.AppendUint16(b, uint16(e[1]))
		b = bo.AppendUint32(b, 1)
		if e[1] == 3 {
			b = bo.AppendUint16(b, uint16(e[2]))
			b = bo.AppendUint16(b, 0)
		} else {
			b = bo.AppendUint32(b, e[2])
		}
	}
	return bo.AppendUint32(b, 0)
}

func TestTIFFOrientation(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	short := func(v uint32) [3]uint32 { return [3]uint32{tagOrientation, 3, v} }
	width := [3]uint32{0x0100, 4, 640}
	valid := tiffWith(le, width, short(6))
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"little-endian", valid, 6},
		{"big-endian", tiffWith(be, width, short(8)), 8},
		{"only entry", tiffWith(be, short(3)), 3},
		{"LONG type", tiffWith(le, [3]uint32{tagOrientation, 4, 5}), 5},
		{"absent", tiffWith(le, width), 1},
		{"zero", tiffWith(le, short(0)), 1},
		{"out of range", tiffWith(le, short(9)), 1},
		{"wrong type", tiffWith(le, [3]uint32{tagOrientation, 2, 6}), 1},
		{"bad magic", append([]byte("II+\x00"), valid[4:]...), 1},
		{"bad byte order", append([]byte("IM*\x00"), valid[4:]...), 1},
		{"IFD offset past end", append(valid[:4:4], 0xFF, 0xFF, 0, 0), 1},
		{"next-IFD pointer missing", valid[:len(valid)-4], 6},
		{"orientation cut short", valid[:8+2+12+6], 1},
		{"empty", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tiffOrientation(tt.data); got != tt.want {
				t.Errorf("tiffOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestScanJPEG(t *testing.T) {
	seg := func(marker byte, payload string) []byte {
		b := []byte{0xFF, marker}
		b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
		return append(b, payload...)
	}
	cat := func(parts ...[]byte) []byte {
		b := []byte{0xFF, 0xD8}
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	exif6 := seg(0xE1, "Exif\x00\x00"+string(tiffWith(binary.BigEndian, [3]uint32{tagOrientation, 3, 6})))
	exif3 := seg(0xE1, "Exif\x00\x00"+string(tiffWith(binary.LittleEndian, [3]uint32{tagOrientation, 3, 3})))
	xmp := seg(0xE1, "http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>")
	sos := []byte{0xFF, 0xDA, 0, 2}
	tests := []struct {
		name string
		data []byte
		want jpegInfo
	}{
		{"plain", cat(seg(0xE0, "JFIF\x00"), seg(0xC0, "sof"), sos), jpegInfo{orientation: 1}},
		{"exif", cat(seg(0xE0, "JFIF\x00"), exif6, seg(0xC0, "sof"), sos), jpegInfo{orientation: 6, metadata: true}},
		{"first exif wins", cat(exif6, exif3, sos), jpegInfo{orientation: 6, metadata: true}},
		{"xmp only", cat(xmp, sos), jpegInfo{orientation: 1, metadata: true}},
		{"iptc", cat(seg(0xED, "Photoshop 3.0\x008BIM\x04\x04"), sos), jpegInfo{orientation: 1, metadata: true}},
		{"progressive", cat(seg(0xC2, "sof"), sos), jpegInfo{orientation: 1, progressive: true}},
		{"4:2:0 frame", cat(seg(0xC0, "\x08\x00\x10\x00\x10\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"), sos),
			jpegInfo{orientation: 1, sampleNum: 6, sampleDen: 4}},
		{"4:4:4 progressive frame", cat(seg(0xC2, "\x08\x00\x10\x00\x10\x03\x01\x11\x00\x02\x11\x01\x03\x11\x01"), sos),
			jpegInfo{orientation: 1, progressive: true, sampleNum: 3, sampleDen: 1}},
		{"frame with missing components", cat(seg(0xC0, "\x08\x00\x10\x00\x10\x03\x01\x22"), sos), jpegInfo{orientation: 1}},
		{"fill bytes and restart markers", cat([]byte{0xFF, 0xFF, 0xFF, 0xD0}, exif6, sos), jpegInfo{orientation: 6, metadata: true}},
		{"segments after the scan are ignored", cat(sos, exif6), jpegInfo{orientation: 1}},
		{"length past end", cat([]byte{0xFF, 0xE1, 0xFF, 0xFF, 'E'}), jpegInfo{orientation: 1}},
		{"length below 2", cat([]byte{0xFF, 0xE1, 0x00, 0x01}, exif6), jpegInfo{orientation: 1}},
		{"not a marker", cat([]byte{0x12, 0x34}, exif6), jpegInfo{orientation: 1}},
		{"soi only", []byte{0xFF, 0xD8}, jpegInfo{orientation: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scanJPEG(tt.data); got != tt.want {
				t.Errorf("scanJPEG = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestContainerChecks(t *testing.T) {
	plain := encodeAs(t, "png", standard.image(4, 4))
	withText := withPNGChunk(plain, "tEXt", []byte("Software\x00test"))
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"png without metadata", pngHasMetadata(plain), false},
		{"png with a gamma chunk", pngHasMetadata(withPNGChunk(plain, "gAMA", []byte{0, 0, 0xB1, 0x8F})), false},
		{"png with tEXt", pngHasMetadata(withText), true},
		{"png with zTXt", pngHasMetadata(withPNGChunk(plain, "zTXt", []byte("Comment\x00\x00x"))), true},
		{"png with iTXt xmp", pngHasMetadata(withPNGChunk(plain, "iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta/>"))), true},
		{"png with eXIf", pngHasMetadata(withPNGChunk(plain, "eXIf", []byte("MM\x00*"))), true},
		{"png with bad chunk length", pngHasMetadata(append(plain[:8:8], 0xFF, 0xFF, 0xFF, 0xFF, 'e', 'X', 'I', 'f')), true},
		{"png cut inside a chunk", pngHasMetadata(plain[:20]), false},
		{"animated webp", webpAnimated(riffWebP("VP8X", []byte{1 << 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})), true},
		{"still webp with alpha", webpAnimated(riffWebP("VP8X", []byte{1 << 4, 0, 0, 0, 0, 0, 0, 0, 0, 0})), false},
		{"simple webp", webpAnimated(riffWebP("VP8L", []byte{1 << 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}
