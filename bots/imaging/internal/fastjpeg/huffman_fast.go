// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fastjpeg

// The fast paths below are small enough to be inlined into processSOS's
// coefficient loop. Each does what decodeHuffman or receiveExtend does
// when the bits it needs are already in d.bits, and reports false,
// having changed nothing, otherwise; the caller then calls the full
// method, which reads more bytes.

// decodeHuffmanFast decodes a symbol of h with the look-up table.
func (d *decoder) decodeHuffmanFast(h *huffman) (uint8, bool) {
	if d.bits.n < lutSize {
		return 0, false
	}
	v := h.lut[(d.bits.a>>uint32(d.bits.n-lutSize))&0xff]
	if v == 0 {
		return 0, false
	}
	n := (v & 0xff) - 1
	d.bits.n -= int32(n)
	d.bits.m >>= n
	return uint8(v >> 8), true
}

// receiveExtendFast is receiveExtend of t buffered bits.
func (d *decoder) receiveExtendFast(t uint8) (int32, bool) {
	if d.bits.n < int32(t) {
		return 0, false
	}
	d.bits.n -= int32(t)
	d.bits.m >>= t
	s := int32(1) << t
	x := int32(d.bits.a>>uint8(d.bits.n)) & (s - 1)
	if x < s>>1 {
		x += ((-1) << t) + 1
	}
	return x, true
}

// refillFast tops d.bits up to more than 24 bits with buffered bytes that
// need no unstuffing, so that the fast paths above find their bits. It
// stops at a 0xff byte (stuffing or a marker, which readByteStuffedByte
// handles) and leaves d.bits as readByteStuffedByte would after reading
// the same bytes: only bytes of the scan's data are taken early.
func (d *decoder) refillFast() {
	for d.bits.n <= 24 && d.bytes.i+2 <= d.bytes.j {
		c := d.bytes.buf[d.bytes.i]
		if c == 0xff {
			return
		}
		d.bytes.i++
		d.bytes.nUnreadable = 1
		d.bits.a = d.bits.a<<8 | uint32(c)
		d.bits.n += 8
		if d.bits.m == 0 {
			d.bits.m = 1 << 7
		} else {
			d.bits.m <<= 8
		}
	}
}

// fastBits is how many bits of the stream index huffman.fastAC.
const fastBits = 10

// fastAC is, for an AC table, the coefficients the next fastBits bits
// decode to (see buildFastAC).
type fastAC [1 << fastBits]int32

// buildFastAC fills f for AC table h: for each value of the next fastBits bits
// that starts with the code of a coefficient (a symbol whose size is not
// zero) followed by all of its magnitude bits, the coefficient's value,
// its zero run and the bits the two take, packed as value<<16 | run<<8 |
// bits; zero everywhere else. Each entry is found as decodeHuffman and
// receiveExtend would decode those bits, malformed tables included, so
// the fast path decodes exactly what the slow one does.
func (h *huffman) buildFastAC(f *fastAC) {
	clear(f[:])
	for idx := range uint32(1 << fastBits) {
		sym, n, ok := h.decodeBits(idx)
		size, run := int32(sym&0x0f), int32(sym>>4)
		if !ok || size == 0 || n+size > fastBits {
			continue
		}
		m := int32(idx>>uint32(fastBits-n-size)) & (1<<size - 1)
		if m < 1<<(size-1) {
			m += ((-1) << size) + 1
		}
		f[idx] = m<<16 | run<<8 | (n + size)
	}
}

// decodeBits decodes the symbol at the start of the fastBits bits idx as
// decodeHuffman does with at least that many bits buffered: the look-up
// table first, then code by code. It returns the symbol and its code
// length, or false when no code of at most fastBits bits matches.
func (h *huffman) decodeBits(idx uint32) (uint8, int32, bool) {
	if v := h.lut[idx>>(fastBits-lutSize)]; v != 0 {
		return uint8(v >> 8), int32(v&0xff) - 1, true
	}
	code := int32(0)
	for i := range int32(fastBits) {
		code |= int32(idx>>uint32(fastBits-1-i)) & 1
		if code <= h.maxCodes[i] {
			k := h.valsIndices[i] + code - h.minCodes[i]
			if k < 0 || k >= h.nCodes {
				return 0, 0, false
			}
			return h.vals[k], i + 1, true
		}
		code <<= 1
	}
	return 0, 0, false
}

// decodeACFast decodes the next coefficient of a sequential scan with f
// when it has an entry and its zero run stays within zigEnd: it consumes
// its bits and returns the value and the run.
func (d *decoder) decodeACFast(f *fastAC, zig, zigEnd int32) (int32, int32, bool) {
	if d.bits.n < fastBits {
		return 0, 0, false
	}
	e := f[(d.bits.a>>uint32(d.bits.n-fastBits))&(1<<fastBits-1)]
	run := (e >> 8) & 0xff
	if e == 0 || zig+run > zigEnd {
		return 0, 0, false
	}
	n := e & 0xff
	d.bits.n -= n
	d.bits.m >>= n
	return e >> 16, run, true
}
