package imaging

import (
	"image"
	"image/color"
	"slices"
	"testing"
)

func TestOrient(t *testing.T) {
	// A 3×2 image whose pixels are labelled a–f (stored in the red channel):
	//
	//	a b c
	//	d e f
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i, id := range "abcdef" {
		src.Pix[4*i] = byte(id)
	}
	tests := []struct {
		orientation int
		want        []string // rows of the displayed image
	}{
		{0, []string{"abc", "def"}}, // invalid: unchanged
		{1, []string{"abc", "def"}},
		{2, []string{"cba", "fed"}},
		{3, []string{"fed", "cba"}},
		{4, []string{"def", "abc"}},
		{5, []string{"ad", "be", "cf"}},
		{6, []string{"da", "eb", "fc"}},
		{7, []string{"fc", "eb", "da"}},
		{8, []string{"cf", "be", "ad"}},
		{9, []string{"abc", "def"}}, // invalid: unchanged
	}
	for _, tt := range tests {
		t.Run(string(rune('0'+tt.orientation)), func(t *testing.T) {
			dst := orient(src, tt.orientation)
			var got []string
			for y := range dst.Rect.Dy() {
				var row []byte
				for x := range dst.Rect.Dx() {
					row = append(row, dst.RGBAAt(x, y).R)
				}
				got = append(got, string(row))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("orient = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFlattenOnWhite(t *testing.T) {
	tests := []struct {
		name    string
		in, out color.RGBA
	}{
		{"transparent", color.RGBA{0, 0, 0, 0}, color.RGBA{255, 255, 255, 255}},
		{"half blue", color.RGBA{0, 0, 128, 128}, color.RGBA{127, 127, 255, 255}},
		{"opaque", color.RGBA{10, 20, 30, 255}, color.RGBA{10, 20, 30, 255}},
		{"colour above alpha saturates", color.RGBA{200, 0, 0, 100}, color.RGBA{255, 155, 155, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, 1, 1))
			img.SetRGBA(0, 0, tt.in)
			flattenOnWhite(img)
			if got := img.RGBAAt(0, 0); got != tt.out {
				t.Errorf("flattened %v = %v, want %v", tt.in, got, tt.out)
			}
		})
	}
}

// TestResampleKeepsPremultiplied checks that filter overshoot at hard edges
// never yields a colour above its alpha.
func TestResampleKeepsPremultiplied(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 40, 40))
	for y := range 40 {
		for x := range 40 {
			if (x/3+y/3)%2 == 0 {
				src.SetNRGBA(x, y, color.NRGBA{255, 255, 255, 40})
			} else {
				src.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 255})
			}
		}
	}
	dst := resample(src, 17, 13)
	for i := 0; i < len(dst.Pix); i += 4 {
		p := dst.Pix[i : i+4]
		if p[0] > p[3] || p[1] > p[3] || p[2] > p[3] {
			t.Fatalf("pixel %d = %v: colour above alpha", i/4, p)
		}
	}
}
