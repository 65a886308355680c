package bots

import (
	"errors"
	"image/color"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/imaging"
)

// TestPrepareAllKeepsOrder prepares images of different sizes together,
// under a limiter with room for about one at a time: every one is
// prepared, and the results keep the uploads' order.
func TestPrepareAllKeepsOrder(t *testing.T) {
	sizes := [][2]int{{300, 200}, {20, 10}, {250, 250}, {40, 90}, {200, 30}}
	var ups []Upload
	for _, s := range sizes {
		ups = append(ups, Upload{Data: testPNG(t, s[0], s[1], color.White), MIME: "image/png"})
	}
	got, err := prepareAll(t.Context(), imaging.NewLimiter(1<<20, 0), ups, imaging.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sizes {
		if got[i].Width != s[0] || got[i].Height != s[1] {
			t.Errorf("result %d is %dx%d, want %dx%d", i, got[i].Width, got[i].Height, s[0], s[1])
		}
	}
}

func TestPrepareAllReportsTheFailingImage(t *testing.T) {
	ups := []Upload{
		{Data: testPNG(t, 30, 20, color.White), MIME: "image/png"},
		{Data: []byte("not an image"), MIME: "image/png"},
		{Data: testPNG(t, 30, 20, color.White), MIME: "image/png"},
	}
	_, err := prepareAll(t.Context(), imaging.NewLimiter(0, 0), ups, imaging.Options{})
	if !errors.Is(err, imaging.ErrNotImage) || !strings.HasPrefix(err.Error(), "prepare image 2:") {
		t.Errorf("err = %v, want image 2 not an image", err)
	}
}
