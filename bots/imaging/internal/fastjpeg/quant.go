package fastjpeg

// Quantisation without division (not in image/jpeg). image/jpeg divides
// each forward-DCT coefficient a by its divisor d = 8*q (q in 1..255, a
// quantisation table entry), rounding half away from zero:
//
//	a >= 0:  (a + d>>1) / d
//	a <  0:  -((-a + d>>1) / d)
//
// that is floor(n/d) for n = |a| + d>>1, with a's sign put back. A
// reciprocal computes the same quotient with a multiply and a shift:
// with m = ceil(2^32/d) and e = m*d - 2^32 (0 <= e < d),
//
//	n*m / 2^32 = n/d + n*e/(d*2^32).
//
// Write n = k*d + r with 0 <= r < d. Then n*m/2^32 = k + (r + n*e/2^32)/d,
// whose floor is k exactly when r + n*e/2^32 < d; since r <= d-1, it is
// enough that n*e < 2^32. With d <= 8*255 = 2040 < 2^11, that holds for
// every n < 2^21, so the reciprocal is exact for |a| < 2^21 - 1020.
//
// The forward DCT (fdct.go) outputs 8 times the orthonormal 2-D DCT of
// the samples less 128, that is
//
//	2·C(u)·C(v)·Σ x[i][j]·cos((2i+1)uπ/16)·cos((2j+1)vπ/16)
//
// with C(0) = 1/√2, C(u) = 1 otherwise, and |x[i][j]| <= 128. Along each
// axis C(u)·Σ_i |cos((2i+1)uπ/16)| is at most 8/√2 (reached at u = 0 and
// u = 4, where every |cos| is 1/√2), so every coefficient is at most
// 2·128·(8/√2)² = 8192 in magnitude (the DC term of an all-zero block),
// plus the fixed-point transform's rounding error of a few units: under
// 2^14, far inside that range. TestRecipMatchesDiv checks the reciprocal
// against the division for every divisor and every |a| < 2^16, and
// TestFDCTRange that the transform stays under 2^14.

// recip is the reciprocal of one divisor d = 8*q: half is d>>1, the
// rounding term, and mul is ceil(2^32/d), at most 2^29.
type recip struct {
	half int32
	mul  uint32
}

// newRecip returns the reciprocal of the divisor 8*q, q in 1..255.
func newRecip(q uint8) recip {
	d := uint64(8 * uint32(q))
	return recip{half: int32(d >> 1), mul: uint32((1<<32 + d - 1) / d)}
}

// quantize returns a/d rounded half away from zero, as div(a, d) does,
// for the divisor d whose reciprocal is r and |a| < 2^21 - 1020. It has
// no branch: the coefficients' signs are as good as random.
func quantize(a int32, r recip) int32 {
	s := a >> 31                                  // 0 for a >= 0, -1 for a < 0
	n := uint64(uint32((a^s)-s) + uint32(r.half)) // |a| + d>>1
	v := int32(n * uint64(r.mul) >> 32)
	return (v ^ s) - s
}

// initRecips sets e.recips from e.quant.
func (e *encoder) initRecips() {
	for i := range e.quant {
		for j, q := range e.quant[i] {
			e.recips[i][j] = newRecip(q)
		}
	}
}
