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
	yl, yc, yn := encodedPSNR(t, resampleImage(src.img, w, h, image.YCbCrSubsampleRatio444).(*image.YCbCr), ref)
	t.Logf("RGBA: luma %.2f dB, RGB %.2f dB, %d bytes; 4:4:4: %.2f dB, %.2f dB, %d bytes", rl, rc, rn, yl, yc, yn)
	if yl < rl || yc < rc {
		t.Errorf("4:4:4 YCbCr scores luma %.2f, RGB %.2f dB; want at least RGBA's %.2f, %.2f", yl, yc, rl, rc)
	}
}

// TestOrientYCbCr checks that orientImage moves a 4:4:4 YCbCr image's
// samples as orient moves RGBA pixels, for every orientation, and a 4:2:0
// image's too.
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
	// A 4:2:0 image is kept for orientation 1, else turned plane by plane
	// when its sides are even (and stays 4:2:0), as RGBA when not; the
	// pixels are orient's either way.
	for _, r := range []image.Rectangle{image.Rect(0, 0, 6, 4), image.Rect(0, 0, 5, 3)} {
		sub := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
		for i := range sub.Y {
			sub.Y[i] = uint8(3 * i)
		}
		for i := range sub.Cb {
			sub.Cb[i], sub.Cr[i] = uint8(100+7*i), uint8(200-5*i)
		}
		even := r.Dx()%2 == 0
		for o := 1; o <= 8; o++ {
			got, want := orientImage(sub, o), orient(toRGBA(sub), o)
			if o == 1 && got != image.Image(sub) {
				t.Errorf("orientation 1: a new image, want the 4:2:0 one")
			}
			if m, ok := got.(*image.YCbCr); o > 1 && (ok != even || (ok && m.SubsampleRatio != image.YCbCrSubsampleRatio420)) {
				t.Errorf("%v, orientation %d: turned into %T, want 4:2:0 YCbCr only for even sides", r, o, got)
			}
			if !bytes.Equal(toRGBA(got).Pix, want.Pix) || got.Bounds() != want.Rect {
				t.Errorf("%v, orientation %d: 4:2:0 image turned unlike orient", r, o)
			}
		}
	}
}

// TestScaledSizeTurnsEvenly checks that a photo to be turned is scaled
// to even sides, as 4:2:0, within a pixel of fitPixels, and one shown as
// stored keeps fitPixels' size.
func TestScaledSizeTurnsEvenly(t *testing.T) {
	for _, tt := range []struct{ w, h, o int }{{4000, 3000, 6}, {4001, 2999, 8}, {3001, 4001, 3}, {4001, 2999, 1}} {
		fw, fh := fitPixels(tt.w, tt.h, 2_621_440)
		w, h := scaledSize(tt.w, tt.h, 2_621_440, tt.o)
		if tt.o == 1 {
			if w != fw || h != fh {
				t.Errorf("%+v: %d×%d, want fitPixels' %d×%d", tt, w, h, fw, fh)
			}
			continue
		}
		if w%2 != 0 || h%2 != 0 || fw-w > 1 || fh-h > 1 || w > fw || h > fh {
			t.Errorf("%+v: %d×%d, want even sides within a pixel under %d×%d", tt, w, h, fw, fh)
		}
		if r := chromaFor(tt.o, w, h); r != image.YCbCrSubsampleRatio420 {
			t.Errorf("%+v: chroma %v, want 4:2:0", tt, r)
		}
	}
	if r := chromaFor(6, 5, 4); r != image.YCbCrSubsampleRatio444 {
		t.Errorf("a 5×4 image to turn: chroma %v, want 4:4:4", r)
	}
}
