package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/qwenbot/qwenbot/bots/imaging/internal/fastjpeg"
)

// ErrNotImage reports that the input is not a readable image: its content is
// not a known image format, or the data is empty, zero-sized, truncated or
// corrupt. Errors returned by Prepare wrap it together with the detail.
var ErrNotImage = errors.New("not a readable image")

// ErrTooLarge reports that the input exceeds Options.MaxInputBytes,
// Options.MaxInputPixels or Options.MaxDecodeBytes, or that no encoding fits
// Options.MaxDataURIBytes.
var ErrTooLarge = errors.New("image too large")

// ErrUnsupported reports an image in a recognised format this package cannot
// decode: HEIC/HEIF, AVIF, JPEG XL, JPEG 2000, ICO, animated WebP, or an
// unsupported variant of a decodable format (for example an arithmetic-coded
// JPEG).
var ErrUnsupported = errors.New("unsupported image format")

// ErrBusy reports that the memory for decoding an image stayed taken by
// other images for longer than the Limiter's wait bound: the image was not
// looked at and may be sent again shortly.
var ErrBusy = errors.New("too many images are being decoded")

// decodeError wraps a decoder error for format mime with the sentinel that
// best describes it: ErrUnsupported for valid-but-unsupported variants,
// ErrNotImage for everything else. data is the input, checked for a missing
// end marker so the message can say the upload looks truncated.
func decodeError(what, mime string, data []byte, err error) error {
	sentinel := ErrNotImage
	var (
		jpegUnsupported jpeg.UnsupportedError
		fastUnsupported fastjpeg.UnsupportedError
		pngUnsupported  png.UnsupportedError
		tiffUnsupported tiff.UnsupportedError
	)
	switch {
	case errors.As(err, &jpegUnsupported),
		errors.As(err, &fastUnsupported),
		errors.As(err, &pngUnsupported),
		errors.As(err, &tiffUnsupported),
		errors.Is(err, bmp.ErrUnsupported):
		sentinel = ErrUnsupported
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), missingEnd(data, mime):
		err = fmt.Errorf("truncated data: %w", err)
	}
	return fmt.Errorf("%s %s: %w: %w", what, mime, sentinel, err)
}

// missingEnd reports a JPEG or PNG without its end marker (EOI, IEND) near
// the end of the data, the mark of an incomplete upload.
func missingEnd(data []byte, mime string) bool {
	tail := data[max(len(data)-32, 0):]
	switch mime {
	case mimeJPEG:
		return !bytes.Contains(tail, []byte{0xFF, 0xD9})
	case mimePNG:
		return !bytes.Contains(tail, []byte("IEND"))
	}
	return false
}
