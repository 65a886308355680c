// Copyright 2009 The Go Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

package fastjpeg

import "encoding/binary"

// decodeHuffmanFast and receiveExtendFast are small enough to be inlined
// into processSOS's coefficient loop for progressive scans. Each does what
// decodeHuffman or receiveExtend does when the bits it needs are already
// in d.bits, and reports false, having changed nothing, otherwise; the
// caller then calls the full method, which reads more bytes. A sequential
// scan's blocks use the fastAC table below (seq.go).

// decodeHuffmanFast decodes a symbol of h with the look-up table.
func (d *decoder) decodeHuffmanFast(h *huffman) (uint8, bool) {
	if d.bits.n < lutSize {
		return 0, false
	}
	v := h.lut[(d.bits.a>>uint32(d.bits.n-lutSize))&0xff]
	if v == 0 {
		return 0, false
	}
	d.bits.n -= int32(v&0xff) - 1
	return uint8(v >> 8), true
}

// receiveExtendFast is receiveExtend of t buffered bits.
func (d *decoder) receiveExtendFast(t uint8) (int32, bool) {
	if d.bits.n < int32(t) {
		return 0, false
	}
	d.bits.n -= int32(t)
	return extend(d.bits.a>>uint32(d.bits.n), t), true
}

// extend is EXTEND (section F.2.2.1) of the t low bits of v.
func extend(v uint64, t uint8) int32 {
	s := int32(1) << t
	x := int32(v) & (s - 1)
	if x < s>>1 {
		x += ((-1) << t) + 1
	}
	return x
}

// refillAt is how few bits make refill read more: the most a coefficient
// takes (a 16-bit code and 15 magnitude bits) fits in what it leaves.
const refillAt = 32

// refill tops the bit buffer a of n bits up to more than 48 bits with
// buffered bytes that need no unstuffing, and returns it, so that the fast
// paths find their bits. It stops at a 0xff byte (stuffing or a marker,
// which readByteStuffedByte handles) and leaves d.bytes as
// readByteStuffedByte would after reading the same bytes: only bytes of
// the scan's data are taken early. Eight bytes without a 0xff among them
// are taken in one step.
func (d *decoder) refill(a uint64, n int32) (uint64, int32) {
	i, j := d.bytes.i, d.bytes.j
	if i+2 > j {
		return a, n
	}
	if n <= 48 && i+8 <= j {
		x := binary.BigEndian.Uint64(d.bytes.buf[i : i+8])
		// A byte of x is 0xff when the same byte of ^x is zero.
		if y := ^x; (y-0x0101010101010101)&^y&0x8080808080808080 == 0 {
			k := (63 - n) >> 3 // whole bytes that fit: 1 to 7
			d.bytes.i, d.bytes.nUnreadable = i+int(k), 1
			return a<<(8*uint32(k)) | x>>(64-8*uint32(k)), n + 8*k
		}
	}
	for n <= 48 && i+2 <= j {
		c := d.bytes.buf[i]
		if c == 0xff {
			break
		}
		i++
		a = a<<8 | uint64(c)
		n += 8
		d.bytes.nUnreadable = 1
	}
	d.bytes.i = i
	return a, n
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
