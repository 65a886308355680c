package imaging

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"runtime"
	"sync"
)

// Large images are encoded as horizontal strips, one per core, each a
// complete JPEG from image/jpeg, then joined into one baseline JPEG with
// restart markers between the strips' entropy-coded data. A restart marker
// resets the DC predictors, as starting a new file does, and image/jpeg
// always writes the same tables for a quality, so the joined file decodes
// to exactly the pixels one encoding of the whole image would, for two
// bytes per strip.

// stripMinPixels is the smallest image encoded in strips: below it the
// goroutines cost more than they save.
const stripMinPixels = 1 << 19

// mcuSize is the side of image/jpeg's 4:2:0 MCU for colour images.
const mcuSize = 16

// stripsPerImage is how many strips a large image is encoded in when
// there are fewer cores: more strips than cores let the strips whose rows
// are done be encoded while a JPEG still decodes (see pipe), for two
// bytes and a few hundred of headers (dropped when joined) each.
const stripsPerImage = 16

// stripCount returns how many strips encodeImage asks stripRows for.
func stripCount() int {
	n := runtime.GOMAXPROCS(0)
	if n < 2 {
		return n
	}
	return max(n, stripsPerImage)
}

// stripRows returns the height of each strip for encoding img on n cores,
// a multiple of mcuSize, or 0 when img is encoded whole: too small, one
// core, or a restart interval over the format's 65535 MCUs.
func stripRows(b image.Rectangle, n int) int {
	w, h := b.Dx(), b.Dy()
	if n < 2 || w*h < stripMinPixels {
		return 0
	}
	rows := (h + n*mcuSize - 1) / (n * mcuSize) * mcuSize
	if rows >= h || (w+mcuSize-1)/mcuSize*(rows/mcuSize) > 0xFFFF {
		return 0
	}
	return rows
}

// stripImage is an image whose strips can be encoded: *image.RGBA or
// *image.YCbCr.
type stripImage interface {
	image.Image
	SubImage(r image.Rectangle) image.Image
}

// encodeStrips encodes img at quality q as one JPEG made of strips of the
// given height, encoded in parallel.
func encodeStrips(img stripImage, q, rows int) ([]byte, error) {
	b := img.Bounds()
	parts := make([][]byte, (b.Dy()+rows-1)/rows)
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i := range parts {
		r := image.Rect(b.Min.X, b.Min.Y+i*rows, b.Max.X, min(b.Min.Y+(i+1)*rows, b.Max.Y))
		wg.Go(func() { parts[i], errs[i] = encodeJPEG(img.SubImage(r), q) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	interval := (b.Dx() + mcuSize - 1) / mcuSize * (rows / mcuSize)
	return joinStrips(parts, b.Dy(), interval)
}

// joinStrips joins JPEG strips from image/jpeg into one image of the given
// height with a restart marker every interval MCUs: the first strip's
// headers with the full height and a DRI segment before its SOS segment,
// then each strip's entropy-coded data, separated by RST0…RST7 in turn.
func joinStrips(parts [][]byte, height, interval int) ([]byte, error) {
	size := 8
	for _, p := range parts {
		size += len(p) + 2
	}
	out := make([]byte, 0, size)
	for i, p := range parts {
		head, sos, data, err := splitJPEG(p)
		if err != nil {
			return nil, fmt.Errorf("join jpeg strips: %w", err)
		}
		if i == 0 {
			out = append(out, head[:sos]...)
			if err := setHeight(out, height); err != nil {
				return nil, fmt.Errorf("join jpeg strips: %w", err)
			}
			out = append(out, 0xFF, 0xDD, 0, 4, byte(interval>>8), byte(interval))
			out = append(out, head[sos:]...)
		} else {
			out = append(out, 0xFF, 0xD0+byte((i-1)%8))
		}
		out = append(out, data...)
	}
	return append(out, 0xFF, 0xD9), nil
}

// splitJPEG splits a JPEG from image/jpeg into its headers up to and with
// the start-of-scan segment, the offset of that segment in them, and the
// entropy-coded data before the end-of-image marker.
func splitJPEG(p []byte) (head []byte, sos int, data []byte, err error) {
	pos := 2 // after SOI
	for pos+4 <= len(p) && p[pos] == 0xFF {
		end := pos + 2 + int(binary.BigEndian.Uint16(p[pos+2:]))
		if end > len(p)-2 {
			break
		}
		if p[pos+1] == 0xDA {
			if p[len(p)-2] != 0xFF || p[len(p)-1] != 0xD9 {
				break
			}
			return p[:end], pos, p[end : len(p)-2], nil
		}
		pos = end
	}
	return nil, 0, nil, fmt.Errorf("unexpected segment at byte %d", pos)
}

// setHeight rewrites the image height in the SOF0 segment of head.
func setHeight(head []byte, height int) error {
	pos := 2
	for pos+9 <= len(head) && head[pos] == 0xFF {
		if head[pos+1] == 0xC0 {
			binary.BigEndian.PutUint16(head[pos+5:], uint16(height))
			return nil
		}
		pos += 2 + int(binary.BigEndian.Uint16(head[pos+2:]))
	}
	return errors.New("no SOF0 segment")
}
