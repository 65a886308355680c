package imaging

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"

	"github.com/qwenbot/qwenbot/bots/imaging/internal/fastjpeg"
)

// dataURILen returns the length of "data:<mime>;base64,<data>" for n bytes
// of data.
func dataURILen(mime string, n int) int {
	return len("data:") + len(mime) + len(";base64,") + base64.StdEncoding.EncodedLen(n)
}

// minQuality is the lowest JPEG quality tried before shrinking instead:
// below it small text in homework photos smears.
const minQuality = 40

// maxShrinks bounds the number of downscaling attempts in encodeFitting.
const maxShrinks = 12

// encodeFitting encodes img as a JPEG whose data URI fits opt.MaxDataURIBytes:
// it first lowers the quality in steps down to minQuality, then downscales
// (from img, to avoid compounding blur) until the output fits. It returns
// the encoded bytes and the image that was encoded. first, if not nil, is
// img already encoded by encodeImage at opt.Quality.
func encodeFitting(img image.Image, first []byte, opt Options) ([]byte, image.Image, error) {
	limit := opt.MaxDataURIBytes
	data := first
	q := opt.Quality
	for {
		if data == nil {
			var err error
			if data, err = encodeImage(img, q); err != nil {
				return nil, nil, err
			}
		}
		if dataURILen(mimeJPEG, len(data)) <= limit {
			return data, img, nil
		}
		if q <= minQuality {
			break
		}
		q = max(q-15, minQuality)
		data = nil
	}
	return shrinkToFit(img, data, q, opt)
}

// shrinkToFit downscales img until its JPEG at quality q fits the data URI
// limit. data is the last encoding that did not fit.
func shrinkToFit(img image.Image, data []byte, q int, opt Options) ([]byte, image.Image, error) {
	limit := opt.MaxDataURIBytes
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	px := float64(w * h)
	budget := float64(max(limit-dataURILen(mimeJPEG, 0), 0)) * 3 / 4
	for range maxShrinks {
		// JPEG size grows roughly with the pixel count; aim 20% under.
		px *= min(budget/float64(len(data))*0.8, 0.8)
		if px < 1 {
			break
		}
		sw, sh := fitPixels(w, h, int(px))
		small := resampleImage(img, sw, sh, image.YCbCrSubsampleRatio420)
		var err error
		if data, err = encodeImage(small, q); err != nil {
			return nil, nil, err
		}
		if dataURILen(mimeJPEG, len(data)) <= limit {
			return data, small, nil
		}
	}
	return nil, nil, fmt.Errorf("encode jpeg: %w: no size fits a %d-byte data URI", ErrTooLarge, limit)
}

// encodeImage encodes img at quality q, in strips on every core when it is
// large.
func encodeImage(img image.Image, q int) ([]byte, error) {
	if rows := stripRows(img.Bounds(), stripCount()); rows > 0 {
		if img, ok := img.(stripImage); ok {
			return encodeStrips(img, q, rows)
		}
	}
	return encodeJPEG(img, q)
}

// encodeJPEG encodes img at quality q, as image/jpeg does (with
// fastjpeg's copy of its encoder, which reads 4:4:4 and 4:2:0 YCbCr
// faster).
func encodeJPEG(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	if err := fastjpeg.Encode(&buf, img, &fastjpeg.Options{Quality: q}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return buf.Bytes(), nil
}
