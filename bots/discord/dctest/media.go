package dctest

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"strconv"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // attachments may be WebP
)

// media serves an attachment through the fake media proxy (an
// attachment's proxy_url, media.discordapp.net in Discord). With width
// and height, an image is resized the way the real proxy does it, best
// effort: scaled to cover width×height and cropped to it around the
// centre (as a client library describes: a size off the image's ratio is
// cropped), with a bilinear filter, cheap under -race; a size not smaller than the image, a size that is not a
// positive number, or a file that is not an image is served as it is.
// The download is recorded as "<id>/<filename>@<width>x<height>" when
// resized.
func (s *Server) media(w http.ResponseWriter, r Request, m []string) {
	s.mu.Lock()
	f, ok := s.files[m[1]]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, nil)
		return
	}
	data, ctype, size := f.data, f.contentType, ""
	if out, ok := resized(f.data, r.Query.Get("width"), r.Query.Get("height")); ok {
		data, ctype = out.data, out.contentType
		size = "@" + r.Query.Get("width") + "x" + r.Query.Get("height")
	}
	s.mu.Lock()
	s.downloads = append(s.downloads, m[1]+size)
	s.notifyLocked()
	s.mu.Unlock()
	w.Header().Set("Content-Type", ctype)
	_, _ = w.Write(data)
}

// resized returns data scaled and cropped to width×height, or false when
// it is served as it is.
func resized(data []byte, width, height string) (file, bool) {
	wd, err1 := strconv.Atoi(width)
	ht, err2 := strconv.Atoi(height)
	if err1 != nil || err2 != nil || wd <= 0 || ht <= 0 {
		return file{}, false
	}
	src, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return file{}, false
	}
	b := src.Bounds()
	if wd >= b.Dx() && ht >= b.Dy() {
		return file{}, false
	}
	// Scale to cover wd×ht, then take the centre.
	scale := max(float64(wd)/float64(b.Dx()), float64(ht)/float64(b.Dy()))
	cw, ch := int(float64(wd)/scale+0.5), int(float64(ht)/scale+0.5)
	crop := image.Rect(0, 0, cw, ch).Add(b.Min).Add(image.Pt((b.Dx()-cw)/2, (b.Dy()-ch)/2))
	dst := image.NewRGBA(image.Rect(0, 0, wd, ht))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, crop, draw.Src, nil)
	var buf bytes.Buffer
	if format == "png" {
		_ = png.Encode(&buf, dst)
		return file{contentType: "image/png", data: buf.Bytes()}, true
	}
	_ = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 85})
	return file{contentType: "image/jpeg", data: buf.Bytes()}, true
}
