package fastjpeg

// decodeBlockSeq decodes one block of a sequential scan into b (zeroed
// by the caller), dequantized with qt, with dc the component's DC
// predictor: what processSOS's generic loop does for such a block, with
// the bit buffer held in locals while the bits it needs are buffered, so
// the common symbols cost a table look-up or two and no call. Whenever
// they are not, the generic methods decode the symbol from d.bits, so
// errors and the bytes read are theirs.
func (d *decoder) decodeBlockSeq(b *block, dcH, acH *huffman, f *fastAC, qt *block, dc *int32) error {
	a, n := d.bits.a, d.bits.n
	if n < refillAt {
		a, n = d.refill(a, n)
	}

	// The DC coefficient, as specified in section F.2.2.1.
	t, a, n, err := d.symbol(dcH, a, n)
	if err != nil {
		return err
	}
	if t > 16 {
		return UnsupportedError("excessive DC component")
	}
	delta, a, n, err := d.extendBits(t, a, n)
	if err != nil {
		return err
	}
	*dc += delta
	b[0] = *dc * qt[0]
	if d.eobRun > 0 {
		d.eobRun--
		d.bits.a, d.bits.n = a, n
		return nil
	}

	// The AC coefficients, as specified in section F.2.2.2.
	for zig := int32(1); zig < blockSize; zig++ {
		if n < refillAt {
			a, n = d.refill(a, n)
		}
		// A coefficient whose code and magnitude fit in fastBits.
		if n >= fastBits {
			e := f[(a>>uint32(n-fastBits))&(1<<fastBits-1)]
			if run := (e >> 8) & 0xff; e != 0 && zig+run < blockSize {
				n -= e & 0xff
				zig += run
				b[unzig[zig&(blockSize-1)]] = (e >> 16) * qt[zig&(blockSize-1)]
				continue
			}
		}
		var value uint8
		if value, a, n, err = d.symbol(acH, a, n); err != nil {
			return err
		}
		run, size := int32(value>>4), value&0x0f
		if size == 0 {
			if run == 0x0f {
				zig += 0x0f // sixteen zeros
				continue
			}
			// End of block; a run of them (EOBn) is a progressive
			// scan's symbol that image/jpeg also accepts here.
			d.bits.a, d.bits.n = a, n
			d.eobRun = uint16(1 << run)
			if run != 0 {
				more, err := d.decodeBits(run)
				if err != nil {
					return err
				}
				d.eobRun |= uint16(more)
			}
			d.eobRun--
			return nil
		}
		zig += run
		if zig >= blockSize {
			break
		}
		var ac int32
		if ac, a, n, err = d.extendBits(size, a, n); err != nil {
			return err
		}
		b[unzig[zig]] = ac * qt[zig]
	}
	d.bits.a, d.bits.n = a, n
	return nil
}

// symbol decodes a symbol of h from the bit buffer a of n bits and
// returns it with the buffer after it: by the look-up table when its code
// is buffered, else by decodeHuffman.
func (d *decoder) symbol(h *huffman, a uint64, n int32) (uint8, uint64, int32, error) {
	if v := h.lut[(a>>uint32(n-lutSize))&0xff]; n >= lutSize && v != 0 {
		return uint8(v >> 8), a, n - (int32(v&0xff) - 1), nil
	}
	d.bits.a, d.bits.n = a, n
	v, err := d.decodeHuffman(h)
	return v, d.bits.a, d.bits.n, err
}

// extendBits is receiveExtend of t bits from the bit buffer a of n bits,
// returning the buffer after them.
func (d *decoder) extendBits(t uint8, a uint64, n int32) (int32, uint64, int32, error) {
	if n >= int32(t) {
		n -= int32(t)
		return extend(a>>uint32(n), t), a, n, nil
	}
	d.bits.a, d.bits.n = a, n
	x, err := d.receiveExtend(t)
	return x, d.bits.a, d.bits.n, err
}
