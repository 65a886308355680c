package imaging

// Defaults used for zero (or negative) Options fields.
const (
	// DefaultMaxPixels is Qwen3-VL's default max_pixels.
	DefaultMaxPixels = 2_621_440
	// DefaultMinPixels is Qwen3-VL's default min_pixels for images.
	DefaultMinPixels = 65_536
	// DefaultMaxInputBytes bounds the encoded input (20 MiB).
	DefaultMaxInputBytes = 20 << 20
	// DefaultMaxInputPixels bounds the decoded input (100 MP).
	DefaultMaxInputPixels = 100_000_000
	// DefaultMaxDecodeBytes bounds the memory the decoder allocates (256 MiB).
	DefaultMaxDecodeBytes = 256 << 20
	// DefaultMaxDataURIBytes bounds one image's data URI. DashScope's limit
	// is 10 MB; llm.MaxDataURIBytes checks 10 MiB (10<<20) before sending.
	// This decimal value is deliberately the stricter of the two, so an
	// image prepared here always passes llm's check whichever MB DashScope
	// means.
	DefaultMaxDataURIBytes = 10_000_000
	// DefaultQuality is the JPEG quality tried first.
	DefaultQuality = 85
	// DefaultPatchSize is Qwen3-VL's pixels per token side (32×32 px per token).
	DefaultPatchSize = 32
)

// Options tunes Prepare. The zero value means "all defaults"; any zero or
// negative field takes its Default* value. Options is a plain value and safe
// to share between goroutines.
type Options struct {
	// MaxPixels is the pixel budget: the output has Width×Height ≤ MaxPixels.
	// Larger images are downscaled keeping their aspect ratio.
	MaxPixels int
	// MinPixels is the model's min_pixels. Prepare never upscales (the model
	// server does that itself, and upscaling here would only cost bandwidth):
	// it only affects Result.Tokens, because the server bills small images as
	// if they had MinPixels. Zero-sized images are always rejected.
	MinPixels int
	// MaxInputBytes rejects larger inputs before any decoding.
	MaxInputBytes int64
	// MaxInputPixels rejects images whose header declares more pixels, before
	// decoding (decompression bombs). Formats that need more memory per pixel
	// count more: 16-bit-per-channel images count twice, progressive JPEGs
	// (whose decoder keeps every DCT coefficient) four times.
	MaxInputPixels int64
	// MaxDecodeBytes rejects images whose decoding would allocate more
	// bytes, estimated from the header before decoding: the decoded pixels
	// at their real size (1 byte for gray or paletted, about 1.5 for a
	// 4:2:0 JPEG or WebP, 4 for RGBA, NRGBA and CMYK, 8 for 16 bits per
	// channel), plus a progressive JPEG's coefficients. A 425 KB PNG can
	// declare 10000×10000 RGBA pixels: 400 MB once decoded.
	MaxDecodeBytes int64
	// MaxDataURIBytes bounds the final "data:<mime>;base64,…" string.
	// Prepare lowers the JPEG quality, then the size, until it fits.
	MaxDataURIBytes int
	// Quality is the JPEG quality (1–100) tried first.
	Quality int
	// PatchSize is the side in pixels of one image token: 32 for Qwen3-VL,
	// 28 for Qwen2.5-VL and QVQ. It is used for Result.Tokens.
	PatchSize int
}

// DefaultOptions returns Options with every field set to its default.
func DefaultOptions() Options {
	return Options{}.withDefaults()
}

// withDefaults returns o with zero or negative fields replaced by defaults.
func (o Options) withDefaults() Options {
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.MinPixels <= 0 {
		o.MinPixels = DefaultMinPixels
	}
	if o.MaxInputBytes <= 0 {
		o.MaxInputBytes = DefaultMaxInputBytes
	}
	if o.MaxInputPixels <= 0 {
		o.MaxInputPixels = DefaultMaxInputPixels
	}
	if o.MaxDecodeBytes <= 0 {
		o.MaxDecodeBytes = DefaultMaxDecodeBytes
	}
	if o.MaxDataURIBytes <= 0 {
		o.MaxDataURIBytes = DefaultMaxDataURIBytes
	}
	if o.Quality <= 0 {
		o.Quality = DefaultQuality
	}
	o.Quality = min(o.Quality, 100)
	if o.PatchSize <= 0 {
		o.PatchSize = DefaultPatchSize
	}
	return o
}
