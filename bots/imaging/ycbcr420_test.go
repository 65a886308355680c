package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// colourPhoto returns a w×h image with colour detail at every scale:
// smooth hue gradients, a coloured texture, colour bands of decreasing
// width and coloured strokes, like a photo of a coloured page.
func colourPhoto(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 90*math.Sin(6*fx+2*fy)
			g := 128 + 90*math.Sin(5*fy-3*fx+1)
			b := 128 + 90*math.Cos(4*fx*fy+7*fx)
			t := 20 * math.Sin(float64(x)*0.3+float64(y)*0.12) * math.Cos(float64(y)*0.17) // texture
			r, g, b = r+t, g-t/2, b+t/3
			if band := int(float64(x)/(40-36*fx)) % 6; y > h/2 && y < h*3/4 && band < 3 { // bands 40 to 4 pixels wide
				r, g, b = [3]float64{220, 40, 60}[band], [3]float64{40, 180, 50}[band], [3]float64{60, 70, 210}[band]
			}
			if (x/5+y/9)%23 == 0 || (y%37 < 3 && x%160 < 110) { // strokes
				r, g, b = 200*fx, 30, 200*(1-fx)
			}
			img.SetRGBA(x, y, color.RGBA{clamp(r), clamp(g), clamp(b), 255})
		}
	}
	return img
}

// clamp rounds v to a uint8, saturating.
func clamp(v float64) uint8 { return uint8(math.Round(min(max(v, 0), 255))) }

// TestYCbCr420EncodesNoWorse checks that scaling the chroma straight to
// 4:2:0 loses no quality against scaling it to 4:4:4 for the encoder to
// average: PSNR of the encoded output, decoded, against x/image/draw's
// Catmull-Rom of the decoded photo, luma and RGB, within 0.05 dB, on a
// photo with colour detail and on the page photo.
func TestYCbCr420EncodesNoWorse(t *testing.T) {
	for _, tt := range []struct {
		name string
		img  image.Image
	}{
		{"colour photo", colourPhoto(2400, 1800)},
		{"page photo", photo(2400, 1800)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src, err := jpeg.Decode(bytes.NewReader(encodeAs(t, "jpeg", tt.img)))
			if err != nil {
				t.Fatal(err)
			}
			w, h := fitPixels(2400, 1800, 1_000_000)
			ref := image.NewRGBA(image.Rect(0, 0, w, h))
			xdraw.CatmullRom.Scale(ref, ref.Rect, src, src.Bounds(), xdraw.Src, nil)
			ycc := src.(*image.YCbCr)
			fl, fc, fn := encodedPSNR(t, resampleImage(ycc, w, h, image.YCbCrSubsampleRatio444).(*image.YCbCr), ref)
			hl, hc, hn := encodedPSNR(t, resampleImage(ycc, w, h, image.YCbCrSubsampleRatio420).(*image.YCbCr), ref)
			t.Logf("4:4:4: luma %.3f dB, RGB %.3f dB, %d bytes; 4:2:0: %.3f dB, %.3f dB, %d bytes", fl, fc, fn, hl, hc, hn)
			if hl < fl-0.05 || hc < fc-0.05 {
				t.Errorf("4:2:0 scores luma %.3f, RGB %.3f dB; want within 0.05 dB of 4:4:4's %.3f, %.3f", hl, hc, fl, fc)
			}
		})
	}
}
