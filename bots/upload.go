package bots

import (
	"bytes"
	"io"
)

// ReadUpload reads a downloaded file's body, whose declared length is
// size (-1 when unknown), keeping at most limit bytes: it reports false
// when the body holds more. The buffer is sized from the declared length
// (up to limit), so a photo of several megabytes is read without growing
// and copying the buffer on the way.
func ReadUpload(body io.Reader, size, limit int64) ([]byte, bool, error) {
	var buf bytes.Buffer
	if size >= 0 {
		buf.Grow(int(min(size, limit)) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(body, limit+1)); err != nil {
		return nil, false, err
	}
	if int64(buf.Len()) > limit {
		return nil, false, nil
	}
	return buf.Bytes(), true, nil
}
