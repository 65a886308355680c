package fastjpeg

import (
	"math"
	"math/rand/v2"
	"testing"
)

// div is image/jpeg's quantisation: a/b rounded to the nearest integer,
// instead of rounded to zero. quantize must match it.
func div(a, b int32) int32 {
	if a >= 0 {
		return (a + (b >> 1)) / b
	}
	return -((-a + (b >> 1)) / b)
}

// TestRecipMatchesDiv checks quantize against div for every divisor 8*q
// (q in 1..255) and every dividend of magnitude under 2^16, four times
// the forward DCT's range (TestFDCTRange), of both signs.
func TestRecipMatchesDiv(t *testing.T) {
	for q := 1; q <= 255; q++ {
		r, d := newRecip(uint8(q)), int32(8*q)
		for a := int32(0); a < 1<<16; a++ {
			if got, want := quantize(a, r), div(a, d); got != want {
				t.Fatalf("quantize(%d) by %d = %d, want %d", a, d, got, want)
			}
			if got, want := quantize(-a, r), div(-a, d); got != want {
				t.Fatalf("quantize(%d) by %d = %d, want %d", -a, d, got, want)
			}
		}
	}
}

// TestFDCTRange checks that the forward DCT's coefficients stay under
// 2^14 in magnitude (quant.go's bound of 8192 plus rounding) on the
// blocks that push each coefficient furthest, 0 or 255 by the sign of
// its basis function and of its negation, on uniform blocks and on
// random ones.
func TestFDCTRange(t *testing.T) {
	var blocks []block
	for u := range 8 {
		for v := range 8 {
			var pos, neg block
			for i := range 8 {
				for j := range 8 {
					c := math.Cos(float64(2*i+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*j+1)*float64(v)*math.Pi/16)
					if c > 0 {
						pos[8*i+j] = 255
					} else {
						neg[8*i+j] = 255
					}
				}
			}
			blocks = append(blocks, pos, neg)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 10000 {
		var b block
		for i := range b {
			b[i] = int32(rng.UintN(256))
		}
		blocks = append(blocks, b)
	}
	var top int32
	for _, b := range blocks {
		fdct(&b)
		for _, c := range b {
			top = max(top, c, -c)
		}
	}
	t.Logf("largest coefficient magnitude: %d", top)
	if top >= 1<<14 {
		t.Errorf("a coefficient of magnitude %d; want under 2^14", top)
	}
}
