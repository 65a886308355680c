package llm

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// A request body holds its images as base64 data URIs: megabytes with a
// photo conversation's history. encoding/json would copy each into a
// string and then scan every byte of it for characters to escape (12 ms
// for four 800 kB photos, BenchmarkBody, on the way from the user's photo
// to the model); base64 needs no escaping, so the body is marshalled with
// a short placeholder per image, and each placeholder is then replaced by
// its data URI, encoded straight into the body (3 ms). The bytes are those
// json.Marshal writes with the data URIs in place.

// imageRefs collects the images of one request body.
type imageRefs struct {
	tag    string // "\x00" and a random nonce: no text can hold it
	images []*Image
}

// newImageRefs returns an empty collection with a fresh tag.
func newImageRefs() *imageRefs {
	return &imageRefs{tag: "\x00" + rand.Text() + ":"}
}

// ref returns im's placeholder, which marshal replaces by its data URI. A
// nil collection returns the data URI itself.
func (r *imageRefs) ref(im *Image) string {
	if r == nil {
		return im.dataURI()
	}
	r.images = append(r.images, im)
	return r.tag + strconv.Itoa(len(r.images)-1)
}

// marshal returns v as JSON with each placeholder replaced by its image's
// data URI.
func (r *imageRefs) marshal(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil || len(r.images) == 0 {
		return raw, err
	}
	quoted, _ := json.Marshal(r.tag) // `"\u0000<nonce>:"`
	open := quoted[:len(quoted)-1]
	size := len(raw)
	for _, im := range r.images {
		size += im.dataURILen()
	}
	out := bytes.NewBuffer(make([]byte, 0, size))
	for seen := 0; ; seen++ {
		i := bytes.Index(raw, open)
		if i < 0 {
			if seen != len(r.images) {
				return nil, fmt.Errorf("%d of %d images missing from the body", len(r.images)-seen, len(r.images))
			}
			out.Write(raw)
			return out.Bytes(), nil
		}
		out.Write(raw[:i])
		raw = raw[i+len(open):]
		end := bytes.IndexByte(raw, '"')
		n, err := strconv.Atoi(string(raw[:max(end, 0)]))
		if end < 0 || err != nil || n < 0 || n >= len(r.images) {
			return nil, errors.New("malformed image placeholder in the body")
		}
		raw = raw[end+1:]
		r.images[n].writeDataURI(out)
	}
}

// writeDataURI writes im's data URI to out as a JSON string.
func (im *Image) writeDataURI(out *bytes.Buffer) {
	prefix, _ := json.Marshal("data:" + im.MIME + ";base64,")
	out.Write(prefix[:len(prefix)-1])
	n := base64.StdEncoding.EncodedLen(len(im.Data))
	out.Grow(n + 1)
	dst := out.AvailableBuffer()[:n]
	base64.StdEncoding.Encode(dst, im.Data)
	out.Write(dst)
	out.WriteByte('"')
}
