package imaging

import (
	"image"
	"math"
)

// Result is a prepared image ready to be sent as a data URI.
type Result struct {
	// Data is the encoded image. When the input is passed through unchanged
	// it is the input slice itself, not a copy.
	Data []byte
	// MIME is "image/jpeg", or "image/png" for a PNG passed through.
	//
	// Prepare passes the input bytes through unchanged (no generation loss,
	// crisp screenshot text, no CPU spent) when the input is a JPEG or an
	// opaque PNG that is within MaxPixels, fits MaxDataURIBytes, needs no
	// rotation and carries no metadata (JPEG: Exif, XMP, IPTC; PNG: eXIf
	// and tEXt/zTXt/iTXt text, where XMP lives): a phone's location must
	// not leave the bot. Everything else is re-encoded as a JPEG, which also
	// strips all metadata.
	MIME string
	// Width and Height are the output's dimensions.
	Width, Height int
	// OrigWidth and OrigHeight are the input's dimensions as displayed,
	// that is after applying the EXIF orientation.
	OrigWidth, OrigHeight int
	// OrigBytes is the size of the input.
	OrigBytes int
	// Tokens estimates the image tokens the model spends on the output. It
	// mirrors Qwen's smart_resize: both sides are rounded to multiples of
	// PatchSize, and images under MinPixels are counted as upscaled to it.
	// The two vision start/end tokens are not included.
	Tokens int
}

// Prepare turns an uploaded picture into an image for the model: it detects
// the format by content (declaredMIME is only used in error messages),
// rejects inputs over MaxInputBytes, MaxInputPixels or MaxDecodeBytes
// before decoding, decodes, applies the EXIF orientation (JPEG, TIFF),
// composites transparency onto white, downscales to at most MaxPixels
// keeping the aspect ratio, and encodes a JPEG whose data URI fits
// MaxDataURIBytes (see Result.MIME for when the input is kept as is).
// Images are never upscaled: a 1×1 image stays 1×1.
//
// Errors wrap ErrNotImage, ErrTooLarge or ErrUnsupported with the detail.
// Prepare is safe for concurrent use; peak memory is about the decoded input
// plus 4 bytes per pixel of dstWidth×srcHeight (1.5 for a 4:2:0 JPEG,
// whose planes are filtered as they are) plus two outputs (about 42 MB for
// a 12 MP JPEG). Limiter.Prepare bounds it across concurrent calls.
func Prepare(data []byte, declaredMIME string, opt Options) (Result, error) {
	opt = opt.withDefaults()
	in, err := open(data, declaredMIME, opt)
	if err != nil {
		return Result{}, err
	}
	return in.prepare(opt)
}

// prepare decodes, orients, shrinks and encodes a checked input.
func (in input) prepare(opt Options) (Result, error) {
	src, img, first, err := in.decodeScaled(opt)
	if err != nil {
		return Result{}, err
	}
	data := in.data
	b := src.img.Bounds()
	res := Result{OrigWidth: b.Dx(), OrigHeight: b.Dy(), OrigBytes: len(data)}
	if src.orientation >= 5 {
		res.OrigWidth, res.OrigHeight = res.OrigHeight, res.OrigWidth
	}
	if passThrough(data, src, opt) {
		res.Data, res.MIME = data, src.mime
	} else {
		if img == nil {
			img = shrunk(src.img, opt.MaxPixels, src.orientation)
		}
		if m, ok := img.(*image.RGBA); ok && !opaque(src.img) {
			flattenOnWhite(m)
		}
		src.img = nil // the decoded input can be collected while encoding
		img = orientImage(img, src.orientation)
		if res.Data, img, err = encodeFitting(img, first, opt); err != nil {
			return Result{}, err
		}
		res.MIME = mimeJPEG
		b = img.Bounds()
	}
	res.Width, res.Height = b.Dx(), b.Dy()
	res.Tokens = tokens(res.Width, res.Height, opt)
	return res, nil
}

// decodeScaled decodes the checked input. When it is a sequential JPEG
// larger than opt.MaxPixels, it also returns the image scaled as shrunk
// would, resampled while decoding, and when the image needs no rotation
// its encoding at opt.Quality (see decodePiped); or nil if it could not.
func (in input) decodeScaled(opt Options) (source, image.Image, []byte, error) {
	w, h := in.cfg.Width, in.cfg.Height
	dw, dh := scaledSize(w, h, opt.MaxPixels, in.src.orientation)
	if in.src.mime != mimeJPEG || in.info.progressive || (dw == w && dh == h) {
		src, err := in.decode()
		return src, nil, nil, err
	}
	q := opt.Quality
	if in.src.orientation != 1 {
		q = 0
	}
	return in.decodePiped(dw, dh, q, chromaFor(in.src.orientation, dw, dh))
}

// opaque reports whether img has no transparency by its type (YCbCr and
// gray JPEGs, WebPs and PNGs), without looking at its pixels.
func opaque(img image.Image) bool {
	switch img.(type) {
	case *image.YCbCr, *image.Gray, *image.Gray16, *image.CMYK:
		return true
	}
	return false
}

// passThrough reports whether the input bytes can be sent unchanged.
func passThrough(data []byte, src source, opt Options) bool {
	b := src.img.Bounds()
	if src.metadata || src.orientation != 1 ||
		b.Dx()*b.Dy() > opt.MaxPixels ||
		dataURILen(src.mime, len(data)) > opt.MaxDataURIBytes {
		return false
	}
	switch src.mime {
	case mimeJPEG:
		switch src.img.(type) {
		case *image.YCbCr, *image.Gray: // not CMYK
			return true
		}
	case mimePNG:
		o, ok := src.img.(interface{ Opaque() bool })
		return ok && o.Opaque()
	}
	return false
}

// shrunk returns img, to be shown with EXIF orientation o, downscaled to
// scaledSize at the origin: a planar YCbCr image that needs downscaling
// as YCbCr with the chroma of chromaFor (its filtered planes, not
// converted to RGB only for the JPEG encoder to convert back), anything
// else as scaled does.
func shrunk(img image.Image, maxPixels, o int) image.Image {
	b := img.Bounds()
	w, h := scaledSize(b.Dx(), b.Dy(), maxPixels, o)
	if w == b.Dx() && h == b.Dy() {
		return toRGBA(img)
	}
	return resampleImage(img, w, h, chromaFor(o, w, h))
}

// scaledSize is the size a w×h image to be shown with EXIF orientation o
// is scaled to: fitPixels's, with both sides made even (a pixel less at
// most) when the scaled image is turned, so that its 4:2:0 planes turn
// exactly (see orientImage).
func scaledSize(w, h, maxPixels, o int) (int, int) {
	dw, dh := fitPixels(w, h, maxPixels)
	if turned(o) && (dw != w || dh != h) && dw >= 2 && dh >= 2 {
		dw, dh = dw&^1, dh&^1
	}
	return dw, dh
}

// turned reports whether EXIF orientation o turns or mirrors the image.
func turned(o int) bool { return o >= 2 && o <= 8 }

// resampleImage scales img to a new w×h image: for a planar YCbCr image,
// its filtered planes as YCbCr with the chroma of ratio (4:2:0, as the
// JPEG encoder keeps it, see halveFilter; else 4:4:4), not converted to
// RGB only for the encoder to convert back; RGBA for anything else.
func resampleImage(img image.Image, w, h int, ratio image.YCbCrSubsampleRatio) image.Image {
	m, ok := img.(*image.YCbCr)
	if !ok || !planar(m) {
		return resample(img, w, h)
	}
	s := newYCbCrScaler(m, w, h, scaleFor(ratio))
	s.scaleAll()
	return s.ycc
}

// chromaFor returns the chroma resolution to scale a YCbCr image shown
// with EXIF orientation o to, w×h: 4:2:0, the JPEG's own, unless
// orientImage still turns it and a side is odd (mirroring an odd-sized
// 4:2:0 image would move its chroma grid), then 4:4:4.
func chromaFor(o, w, h int) image.YCbCrSubsampleRatio {
	if turned(o) && (w%2 != 0 || h%2 != 0) {
		return image.YCbCrSubsampleRatio444
	}
	return image.YCbCrSubsampleRatio420
}

// scaled returns img as RGBA at the origin, downscaled so that its pixel
// count is at most maxPixels.
func scaled(img image.Image, maxPixels int) *image.RGBA {
	b := img.Bounds()
	w, h := fitPixels(b.Dx(), b.Dy(), maxPixels)
	if w == b.Dx() && h == b.Dy() {
		return toRGBA(img)
	}
	return resample(img, w, h)
}

// fitPixels returns dimensions of at most maxPixels pixels for a w×h image,
// never larger than w×h. The shorter side is as large as the budget allows;
// the longer one follows from the aspect ratio, so the ratio is kept to
// within half a pixel of the longer side (a side is never below 1).
func fitPixels(w, h, maxPixels int) (int, int) {
	if w*h <= maxPixels {
		return w, h
	}
	long, short := max(w, h), min(w, h)
	f := math.Sqrt(float64(maxPixels) / (float64(w) * float64(h)))
	s := max(int(float64(short)*f), 1)
	l := int(math.Round(float64(s) * float64(long) / float64(short)))
	l = max(min(l, maxPixels/s, long), 1)
	if w >= h {
		return l, s
	}
	return s, l
}

// tokens estimates the model's image tokens for a w×h image, following
// smart_resize in qwen-vl-utils (Python rounds half to even).
func tokens(w, h int, opt Options) int {
	p := float64(opt.PatchSize)
	fw, fh := float64(w), float64(h)
	tw := max(p, math.RoundToEven(fw/p)*p)
	th := max(p, math.RoundToEven(fh/p)*p)
	switch {
	case tw*th > float64(opt.MaxPixels):
		beta := math.Sqrt(fw * fh / float64(opt.MaxPixels))
		tw = max(p, math.Floor(fw/beta/p)*p)
		th = max(p, math.Floor(fh/beta/p)*p)
	case tw*th < float64(opt.MinPixels):
		beta := math.Sqrt(float64(opt.MinPixels) / (fw * fh))
		tw = math.Ceil(fw*beta/p) * p
		th = math.Ceil(fh*beta/p) * p
	}
	return int(tw/p) * int(th/p)
}
