// Package imaging prepares user-sent pictures for upload to a vision model.
//
// Prepare detects the format by content (the declared MIME type is only a
// hint), rejects oversized inputs and decompression bombs before decoding,
// decodes JPEG, PNG, GIF (first frame), WebP, BMP and TIFF, applies the EXIF
// orientation of JPEG and TIFF files, composites transparency onto white,
// downscales to the model's pixel budget with a Catmull-Rom filter and
// re-encodes the result as a JPEG small enough for a data URI.
//
// A Limiter, one per process, bounds the memory of all decodes at once:
// Limiter.Prepare reserves an image's estimated peak before decoding it.
//
// The package knows nothing about chat platforms, the LLM client or storage:
// it turns bytes into bytes. All functions are safe for concurrent use; only
// a Limiter keeps state between calls.
package imaging
