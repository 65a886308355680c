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
