package imaging

// The two chroma planes of a YCbCr image have the same size and so the
// same filters: ycbcrScaler filters them together, a Cb sample and the Cr
// sample beside it packed into one int64 (Cb in the low 32 bits), so one
// multiplication and one addition serve both. Each lane's sum stays
// within ±2^24, so the low lane never borrows more than the high lane
// can give back, and unpack recovers both sums exactly: the output is the
// same as filtering each plane alone.
//
// Two output rows' luma is filtered the same way: vertically, each source
// row's weights for both output rows packed into one int64, so a source
// sample is multiplied once for both, over the union of their rows; then
// horizontally, the two filtered rows' samples packed side by side.

// pack returns samples b and r in one word.
func pack(b, r uint8) int64 { return int64(b) | int64(r)<<32 }

// unpack rounds the two fixed-point sums of v to uint8s.
func unpack(v int64) (uint8, uint8) {
	lo := int64(int32(v))
	return fixedTo8(int32(lo)), fixedTo8(int32((v - lo) >> 32))
}

// filterRowsPacked filters rows start, start+1, … of the planes pb and pr
// with the fixed-point weights ws into dst, rounded and packed,
// accumulating in acc two rows per pass.
func filterRowsPacked(dst, acc []int64, pb, pr plane, start int, ws []int32) {
	clear(acc)
	k := 0
	for ; k+2 <= len(ws); k += 2 {
		addPacked2(acc, pb.row(start+k), pr.row(start+k), pb.row(start+k+1), pr.row(start+k+1), ws[k], ws[k+1])
	}
	if k < len(ws) {
		addPacked1(acc, pb.row(start+k), pr.row(start+k), ws[k])
	}
	dst = dst[:len(acc)]
	for i, v := range acc {
		b, r := unpack(v)
		dst[i] = pack(b, r)
	}
}

// addPacked2 adds w0 times rows b0, r0 and w1 times rows b1, r1 to acc.
func addPacked2(acc []int64, b0, r0, b1, r1 []uint8, w0, w1 int32) {
	n := len(acc)
	b0, r0, b1, r1 = b0[:n], r0[:n], b1[:n], r1[:n]
	v0, v1 := int64(w0), int64(w1)
	for i := range acc {
		acc[i] += v0*pack(b0[i], r0[i]) + v1*pack(b1[i], r1[i])
	}
}

// addPacked1 adds w times rows b, r to acc.
func addPacked1(acc []int64, b, r []uint8, w int32) {
	n := len(acc)
	b, r = b[:n], r[:n]
	v := int64(w)
	for i := range acc {
		acc[i] += v * pack(b[i], r[i])
	}
}

// scalePackedRow filters one row of packed samples horizontally into
// dstB and dstR, in fixed point.
func scalePackedRow(dstB, dstR []uint8, src []int64, f filter) {
	dstR = dstR[:len(dstB)]
	for x := range dstB {
		ws := f.fixed[x*f.stride : x*f.stride+f.count[x]]
		p := src[f.start[x]:]
		p = p[:len(ws)]
		var v int64
		for k, w := range ws {
			v += int64(w) * p[k]
		}
		dstB[x], dstR[x] = unpack(v)
	}
}

// pairWeights returns the first source row of output rows y and y+1 of
// filter f and, from it on, both rows' weights packed (row y's low), in
// buf.
func pairWeights(buf []int64, f filter, y int) (int, []int64) {
	s0, c0, s1, c1 := f.start[y], f.count[y], f.start[y+1], f.count[y+1]
	start := min(s0, s1)
	ws := buf[:max(s0+c0, s1+c1)-start]
	clear(ws)
	for k, w := range f.fixed[y*f.stride : y*f.stride+c0] {
		ws[s0-start+k] += int64(w)
	}
	for k, w := range f.fixed[(y+1)*f.stride : (y+1)*f.stride+c1] {
		ws[s1-start+k] += int64(w) << 32
	}
	return start, ws
}

// filterRowsPair filters rows start, start+1, … of plane p with the
// packed weights ws of two output rows into dst, rounded and packed,
// accumulating in acc two rows per pass.
func filterRowsPair(dst, acc []int64, p plane, start int, ws []int64) {
	clear(acc)
	k := 0
	for ; k+2 <= len(ws); k += 2 {
		addPair2(acc, p.row(start+k), p.row(start+k+1), ws[k], ws[k+1])
	}
	if k < len(ws) {
		addPair2(acc, p.row(start+k), p.row(start+k), ws[k], 0)
	}
	dst = dst[:len(acc)]
	for i, v := range acc {
		a, b := unpack(v)
		dst[i] = pack(a, b)
	}
}

// addPair2 adds packed weights w0 times row r0 and w1 times row r1 to acc.
func addPair2(acc []int64, r0, r1 []uint8, w0, w1 int64) {
	n := len(acc)
	r0, r1 = r0[:n], r1[:n]
	for i := range acc {
		acc[i] += w0*int64(r0[i]) + w1*int64(r1[i])
	}
}
