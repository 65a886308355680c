package imaging

import (
	"fmt"
	"image"
	"image/color"
)

// checkDimensions rejects zero-sized images, images over the weighted pixel
// limit, and images whose decoding would allocate more than MaxDecodeBytes.
// info is the JPEG header summary (zero for other formats).
func checkDimensions(cfg image.Config, info jpegInfo, opt Options) error {
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return fmt.Errorf("%w: %d×%d pixels", ErrNotImage, cfg.Width, cfg.Height)
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	weight := pixelWeight(cfg.ColorModel, info)
	if px > opt.MaxInputPixels/weight {
		return fmt.Errorf("%w: %d×%d pixels (weight %d), limit %d", ErrTooLarge, cfg.Width, cfg.Height, weight, opt.MaxInputPixels)
	}
	if need := decodeBytes(cfg.ColorModel, info, px); need > float64(opt.MaxDecodeBytes) {
		return fmt.Errorf("%w: %d×%d pixels need %.0f MB to decode, limit %d MB",
			ErrTooLarge, cfg.Width, cfg.Height, need/(1<<20), opt.MaxDecodeBytes>>20)
	}
	return nil
}

// pixelWeight is how many pixels one pixel counts for against
// MaxInputPixels: 2 for 16 bits per channel, 4 for a progressive JPEG.
func pixelWeight(m color.Model, info jpegInfo) int64 {
	weight := int64(1)
	if info.progressive {
		weight = 4
	}
	switch m {
	case color.RGBA64Model, color.NRGBA64Model, color.Gray16Model:
		weight *= 2
	}
	return weight
}

// decodeBytes estimates the bytes the decoder allocates for px pixels of
// colour model m. A JPEG holds one plane per component at its sampling
// resolution (1.5 bytes per pixel for 4:2:0 YCbCr, 3 for 4:4:4), plus a
// converted image when the result is not YCbCr or gray (CMYK, RGB), plus
// 4 bytes per sample of DCT coefficients when progressive.
func decodeBytes(m color.Model, info jpegInfo, px int64) float64 {
	n := float64(px)
	if info.sampleDen == 0 {
		return n * bytesPerPixel(m)
	}
	planes := n * float64(info.sampleNum) / float64(info.sampleDen)
	total := planes
	if m != color.YCbCrModel && m != color.GrayModel {
		total += n * bytesPerPixel(m)
	}
	if info.progressive {
		total += 4 * planes
	}
	return total
}

// bytesPerPixel returns the size of one decoded pixel of colour model m.
func bytesPerPixel(m color.Model) float64 {
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel: // 4:2:0, as WebP always is
		return 1.5
	case color.NYCbCrAModel:
		return 2.5
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	return 4 // RGBA, NRGBA, CMYK and anything unknown
}

// workBytes estimates the most memory preparing in holds at once: what the
// decoder allocates (see decodeBytes), the scaled RGBA image (a scaled
// YCbCr image is less: 4:2:0, 1.5 bytes per pixel, or 4:4:4, 3, when it
// is to be rotated) and a rotated
// copy of it, the resampler's intermediate samples and the encoded output.
// The TIFF decoder also reads the uncompressed samples into a buffer first.
func (in input) workBytes(opt Options) int64 {
	w, h := in.cfg.Width, in.cfg.Height
	px := int64(w) * int64(h)
	n := decodeBytes(in.cfg.ColorModel, in.info, px)
	if in.src.mime == mimeTIFF {
		n += float64(px) * bytesPerPixel(in.cfg.ColorModel)
	}
	dw, dh := fitPixels(w, h, opt.MaxPixels)
	out := 4 * float64(dw) * float64(dh)
	n += out + out/2 // the scaled image and its JPEG encoding
	if in.src.orientation != 1 {
		n += out
	}
	if dw != w || dh != h {
		n += resampleBytes(w, h, dw, dh)
	}
	return int64(n)
}
