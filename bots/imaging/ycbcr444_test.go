package imaging

import (
	"bytes"
	"image"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// TestYCbCr444EncodesNoWorse checks that encoding the resampled planes
// as 4:4:4 YCbCr loses no quality against converting them to RGBA first,
// as Prepare did: PSNR against x/image/draw's Catmull-Rom of the
// decoded photo, luma and RGB.
func TestYCbCr444EncodesNoWorse(t *testing.T) {
	data := encodeAs(t, "jpeg", photo(2400, 1800))
	in, err := open(data, "", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	src, err := in.decode()
	if err != nil {
		t.Fatal(err)
	}
	w, h := fitPixels(2400, 1800, 1_000_000)
	ref := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(ref, ref.Rect, src.img, src.img.Bounds(), xdraw.Src, nil)
	rl, rc, rn := encodedPSNR(t, resample(src.img, w, h), ref)
	yl, yc, yn := encodedPSNR(t, resampleYCbCr444(src.img.(*image.YCbCr), w, h), ref)
	t.Logf("RGBA: luma %.2f dB, RGB %.2f dB, %d bytes; 4:4:4: %.2f dB, %.2f dB, %d bytes", rl, rc, rn, yl, yc, yn)
	if yl < rl || yc < rc {
		t.Errorf("4:4:4 YCbCr scores luma %.2f, RGB %.2f dB; want at least RGBA's %.2f, %.2f", yl, yc, rl, rc)
	}
}

// TestOrientYCbCr checks that orientImage moves a 4:4:4 YCbCr image's
// samples as orient moves RGBA pixels, for every orientation.
func TestOrientYCbCr(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 5, 3), image.YCbCrSubsampleRatio444)
	for i := range src.Y {
		src.Y[i], src.Cb[i], src.Cr[i] = uint8(i), uint8(100+i), uint8(200+i)
	}
	for o := 1; o <= 8; o++ {
		got := orientImage(src, o).(*image.YCbCr)
		want := orient(toRGBA(src), o)
		if got.Rect != want.Rect {
			t.Fatalf("orientation %d: %v, want %v", o, got.Rect, want.Rect)
		}
		for y := range want.Rect.Dy() {
			for x := range want.Rect.Dx() {
				if g, w := toRGBA(got).RGBAAt(x, y), want.RGBAAt(x, y); g != w {
					t.Fatalf("orientation %d: pixel (%d, %d) = %v, want %v", o, x, y, g, w)
				}
			}
		}
	}
	// A 4:2:0 image is kept for orientation 1, else turned as RGBA.
	sub := image.NewYCbCr(image.Rect(0, 0, 5, 3), image.YCbCrSubsampleRatio420)
	copy(sub.Y, src.Y)
	copy(sub.Cb, src.Cb)
	copy(sub.Cr, src.Cr)
	for o := 1; o <= 8; o++ {
		got, want := orientImage(sub, o), orient(toRGBA(sub), o)
		if o == 1 && got != image.Image(sub) {
			t.Errorf("orientation 1: a new image, want the 4:2:0 one")
		}
		if !bytes.Equal(toRGBA(got).Pix, want.Pix) || got.Bounds() != want.Rect {
			t.Errorf("orientation %d: 4:2:0 image turned unlike orient", o)
		}
	}
}
