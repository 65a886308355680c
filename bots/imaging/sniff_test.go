package imaging

import "testing"

func TestSniff(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		want   string
		wantOK bool
	}{
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, mimeJPEG, true},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), mimePNG, true},
		{"gif87a", []byte("GIF87a\x01\x00"), mimeGIF, true},
		{"gif89a", []byte("GIF89a\x01\x00"), mimeGIF, true},
		{"webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), mimeWebP, true},
		{"bmp", append([]byte("BM\x36\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00"), 40, 0, 0, 0), mimeBMP, true},
		{"tiff little-endian", []byte("II*\x00\x08\x00\x00\x00"), mimeTIFF, true},
		{"tiff big-endian", []byte("MM\x00*\x00\x00\x00\x08"), mimeTIFF, true},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), mimeHEIC, true},
		{"heif", []byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00"), mimeHEIF, true},
		{"avif", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00"), mimeAVIF, true},
		{"jpeg xl codestream", []byte{0xFF, 0x0A, 0xFA}, mimeJXL, true},
		{"jpeg xl container", []byte("\x00\x00\x00\x0cJXL \r\n\x87\n"), mimeJXL, true},
		{"jpeg 2000", []byte("\x00\x00\x00\x0cjP  \r\n\x87\n"), mimeJP2, true},
		{"ico", []byte{0, 0, 1, 0, 1, 0, 16, 16}, mimeICO, true},
		{"empty", nil, "", false},
		{"text", []byte("hello, world"), "", false},
		{"html", []byte("<html><body><img src=x.jpg></body></html>"), "", false},
		{"BM text is not a bitmap", []byte("BMW is a car maker, not an image."), "", false},
		{"riff wave", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), "", false},
		{"mp4", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x00\x00"), "", false},
		{"jpeg prefix only", []byte{0xFF, 0xD8}, "", false},
		{"zero bytes", make([]byte, 32), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Sniff(tt.data)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Sniff = %q, %v; want %q, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
