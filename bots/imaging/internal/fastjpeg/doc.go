// Package fastjpeg decodes JPEG images to exactly the pixels the standard
// library's image/jpeg decodes, with less work per block, and encodes
// them to exactly its bytes.
//
// It is a fork of image/jpeg's decoder from Go 1.26.8 (reader.go,
// scan.go, huffman.go and the inverse DCT of dct.go; copyright The Go
// Authors, BSD licence in LICENSE). The changes, each giving the same
// result as the original on every input:
//
//   - A sequential scan's coefficients are dequantized as they are
//     decoded rather than in a second pass over each block (scan.go).
//   - The inverse DCT skips rows that are zero, fills rows that hold only
//     their DC term, fills columns when only the first row is left, and
//     stores the level-shifted, clipped pixels itself (idct.go).
//   - The bit buffer holds 64 bits, topped up with whole bytes of the
//     scan's data (eight at a time when none is 0xff) before each
//     coefficient. A sequential scan's blocks are decoded by one function
//     that keeps the buffer in local variables and calls the original
//     methods only when the bits it needs are not buffered (seq.go); its
//     short codes with their magnitude bits are decoded to a coefficient
//     with one look-up of 10 bits, built by decoding each 10-bit value as
//     the slow path would. A progressive scan's loop uses inlined
//     versions of the Huffman look-up and RECEIVE/EXTEND
//     (huffman_fast.go).
//
// Everything else (every mode and subsampling image/jpeg supports, its
// errors and its tolerance of malformed input) is unchanged; DecodeConfig
// and the image.RegisterFormat registration are left out, and
// image/internal/imageutil's YCbCr conversion is replaced by
// color.YCbCrToRGB (color.go).
//
// The encoder (Encode, writer.go, and the forward DCT of dct.go in
// fdct.go) is image/jpeg's, writing the same bytes, except that a 4:4:4
// YCbCr image's blocks are read by rows instead of pixel by pixel, a
// 4:2:0 one's chroma blocks are read as they are instead of averaged
// from four blocks of repeated samples (writer420.go), its Huffman
// look-up tables are built without an init function, and the
// coefficients are quantized by multiplying by reciprocals instead of
// dividing (quant.go), a whole block before any is emitted, its non-zero
// AC coefficients then found by the set bits of a mask.
//
// DecodeWatched, an addition, also tells a Watcher which rows of a
// sequential YCbCr image are decoded, as each row of MCUs is finished
// (watch.go).
//
// The package knows nothing of the rest of qwenbot. Decode and
// DecodeWatched are safe for concurrent use.
package fastjpeg
