package video

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// info is what ffmpeg reports about a clip's first video stream.
type info struct {
	duration      time.Duration // 0 when unknown
	width, height int           // as displayed, after rotation
}

var (
	durationRE = regexp.MustCompile(`Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)`)
	videoRE    = regexp.MustCompile(`Stream #\d+:\d+.*?: Video: .*?, (\d{1,5})x(\d{1,5}).*`)
	rotateRE   = regexp.MustCompile(`rotation of (-?\d+(?:\.\d+)?) degrees`)
)

// parseInfo reads the banner ffmpeg prints for "-i FILE": the container's
// duration, the first video stream's size and its display rotation
// (cover art, an "attached pic", is not the video). ok is false when there
// is no video stream.
func parseInfo(banner string) (in info, ok bool) {
	var m []string
	for _, c := range videoRE.FindAllStringSubmatch(banner, -1) {
		if !strings.Contains(c[0], "(attached pic)") {
			m = c
			break
		}
	}
	if m == nil {
		return info{}, false
	}
	in.width, _ = strconv.Atoi(m[1])
	in.height, _ = strconv.Atoi(m[2])
	if in.width <= 0 || in.height <= 0 {
		return info{}, false
	}
	if r := rotateRE.FindStringSubmatch(banner); r != nil {
		deg, _ := strconv.ParseFloat(r[1], 64)
		if q := int(deg) % 180; q == 90 || q == -90 {
			in.width, in.height = in.height, in.width
		}
	}
	if d := durationRE.FindStringSubmatch(banner); d != nil {
		h, _ := strconv.Atoi(d[1])
		mi, _ := strconv.Atoi(d[2])
		s, _ := strconv.ParseFloat(d[3], 64)
		in.duration = time.Duration((float64(h*3600+mi*60) + s) * float64(time.Second))
	}
	return in, true
}
