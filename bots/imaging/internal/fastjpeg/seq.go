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
	var t uint8
	if v := dcH.lut[(a>>uint32(n-lutSize))&0xff]; n >= lutSize && v != 0 {
		n -= int32(v&0xff) - 1
		t = uint8(v >> 8)
	} else {
		d.bits.a, d.bits.n = a, n
		var err error
		if t, err = d.decodeHuffman(dcH); err != nil {
			return err
		}
		a, n = d.bits.a, d.bits.n
	}
	if t > 16 {
		return UnsupportedError("excessive DC component")
	}
	if n >= int32(t) {
		n -= int32(t)
		*dc += extend(a>>uint32(n), t)
	} else {
		d.bits.a, d.bits.n = a, n
		delta, err := d.receiveExtend(t)
		if err != nil {
			return err
		}
		a, n = d.bits.a, d.bits.n
		*dc += delta
	}
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
		if v := acH.lut[(a>>uint32(n-lutSize))&0xff]; n >= lutSize && v != 0 {
			n -= int32(v&0xff) - 1
			value = uint8(v >> 8)
		} else {
			d.bits.a, d.bits.n = a, n
			var err error
			if value, err = d.decodeHuffman(acH); err != nil {
				return err
			}
			a, n = d.bits.a, d.bits.n
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
		if n >= int32(size) {
			n -= int32(size)
			ac = extend(a>>uint32(n), size)
		} else {
			d.bits.a, d.bits.n = a, n
			var err error
			if ac, err = d.receiveExtend(size); err != nil {
				return err
			}
			a, n = d.bits.a, d.bits.n
		}
		b[unzig[zig]] = ac * qt[zig]
	}
	d.bits.a, d.bits.n = a, n
	return nil
}
