package imaging

import (
	"image/color"
	"testing"
)

func TestDecodeBytes(t *testing.T) {
	const px = 1_000_000
	tests := []struct {
		name  string
		model color.Model
		info  jpegInfo
		want  float64
	}{
		{"gray", color.GrayModel, jpegInfo{}, 1 * px},
		{"paletted", color.Palette{color.Black, color.White}, jpegInfo{}, 1 * px},
		{"webp 4:2:0", color.YCbCrModel, jpegInfo{}, 1.5 * px},
		{"webp with alpha", color.NYCbCrAModel, jpegInfo{}, 2.5 * px},
		{"nrgba", color.NRGBAModel, jpegInfo{}, 4 * px},
		{"rgba", color.RGBAModel, jpegInfo{}, 4 * px},
		{"cmyk", color.CMYKModel, jpegInfo{}, 4 * px},
		{"16-bit", color.NRGBA64Model, jpegInfo{}, 8 * px},
		{"16-bit gray", color.Gray16Model, jpegInfo{}, 2 * px},
		{"jpeg 4:2:0", color.YCbCrModel, jpegInfo{sampleNum: 6, sampleDen: 4}, 1.5 * px},
		{"jpeg 4:4:4", color.YCbCrModel, jpegInfo{sampleNum: 3, sampleDen: 1}, 3 * px},
		{"jpeg gray", color.GrayModel, jpegInfo{sampleNum: 1, sampleDen: 1}, 1 * px},
		{"jpeg cmyk converts", color.CMYKModel, jpegInfo{sampleNum: 4, sampleDen: 1}, 8 * px},
		{"progressive 4:2:0", color.YCbCrModel, jpegInfo{progressive: true, sampleNum: 6, sampleDen: 4}, 7.5 * px},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeBytes(tt.model, tt.info, px); got != tt.want {
				t.Errorf("decodeBytes = %.0f, want %.0f", got, tt.want)
			}
		})
	}
}
