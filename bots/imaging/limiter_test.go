package imaging

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// gradientPNG returns a w×h 8-bit RGBA PNG of gradients with translucent
// parts, written a row at a time so that even 8000×8000 costs no more
// than its compressed size to build: a tiny file that decodes to w×h×4
// bytes, like the one a user could send to take the memory.
func gradientPNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	var idat bytes.Buffer
	zw := zlib.NewWriter(&idat)
	row := make([]byte, 1+4*w) // filter type, then RGBA
	for y := range h {
		clear(row)
		row[0] = 2 // Up: each row is the same as the one above it…
		if y%32 == 0 {
			row[0] = 0 // …but every 32nd, a new shade of green
			for x := range w {
				row[1+4*x], row[2+4*x], row[3+4*x], row[4+4*x] = uint8(x>>5), uint8(y>>5), 0x80, uint8(0xC0+(x>>7)%64)
			}
		}
		if _, err := zw.Write(row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	out := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", idat.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// workOf returns the bytes Limiter.Prepare reserves for data.
func workOf(tb testing.TB, data []byte, opt Options) int64 {
	tb.Helper()
	opt = opt.withDefaults()
	in, err := open(data, "", opt)
	if err != nil {
		tb.Fatal(err)
	}
	return in.workBytes(opt)
}

// TestWorkBytesCoversAllocations checks the estimate a Limiter reserves
// against what preparing really allocates (every byte, freed or not, so an
// upper bound of the peak), for each decoder and for pass-through.
func TestWorkBytesCoversAllocations(t *testing.T) {
	opt := Options{MaxPixels: 200_000}
	exif := withExif(t, encodeAs(t, "jpeg", photo(600, 400)), 6, binary.BigEndian)
	tests := []struct {
		name string
		data []byte
	}{
		{"png rgba", gradientPNG(t, 900, 700)},
		{"jpeg 4:2:0", encodeAs(t, "jpeg", photo(900, 700))},
		{"jpeg rotated", exif},
		{"jpeg pass-through", encodeAs(t, "jpeg", photo(400, 300))},
		{"gif", encodeAs(t, "gif", smooth(700, 500))},
		{"bmp", encodeAs(t, "bmp", smooth(700, 500))},
		{"tiff", encodeAs(t, "tiff", smooth(700, 500))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := workOf(t, tt.data, opt)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			if _, err := Prepare(tt.data, "", opt); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			got := int64(after.TotalAlloc - before.TotalAlloc)
			if got > want {
				t.Errorf("allocated %d bytes, estimate %d", got, want)
			}
			t.Logf("allocated %d bytes, estimate %d", got, want)
		})
	}
}

// TestLimiterBoundsConcurrentDecodes prepares an album's worth of large
// PNGs at once, as chats sending one each would: all succeed, and the
// memory reserved at once never exceeds the limiter's size.
func TestLimiterBoundsConcurrentDecodes(t *testing.T) {
	data := gradientPNG(t, 700, 700)
	opt := Options{MaxPixels: 100_000}
	one := workOf(t, data, opt)
	l := NewLimiter(2*one+one/2, time.Minute) // two at a time
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			res, err := l.Prepare(t.Context(), data, "image/png", opt)
			if err == nil && res.Width*res.Height > opt.MaxPixels {
				err = errors.New("not downscaled")
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("image %d: %v", i+1, err)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.peak > l.size || l.peak < one {
		t.Errorf("peak reservation %d, want %d..%d", l.peak, one, l.size)
	}
	if l.used != 0 {
		t.Errorf("%d bytes still reserved", l.used)
	}
}

func TestLimiterRefusesOverSize(t *testing.T) {
	data := gradientPNG(t, 300, 300)
	l := NewLimiter(workOf(t, data, Options{})-1, time.Minute)
	_, err := l.Prepare(t.Context(), data, "image/png", Options{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// TestLimiterBusy holds the whole memory and checks that Prepare gives up
// with ErrBusy after exactly the wait bound, and with the context's error
// when the caller gives up first.
func TestLimiterBusy(t *testing.T) {
	data := gradientPNG(t, 64, 64)
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(1<<20, 30*time.Second)
		release, err := l.acquire(t.Context(), l.size)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = l.Prepare(t.Context(), data, "image/png", Options{})
		if !errors.Is(err, ErrBusy) || time.Since(start) != 30*time.Second {
			t.Errorf("after %v: err = %v, want ErrBusy after 30s", time.Since(start), err)
		}

		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		_, err = l.Prepare(ctx, data, "image/png", Options{})
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrBusy) {
			t.Errorf("err = %v, want the caller's deadline", err)
		}

		release()
		if _, err := l.Prepare(t.Context(), data, "image/png", Options{}); err != nil {
			t.Errorf("after release: %v", err)
		}
	})
}

// TestDefaultLimiterAdmitsWhatMaxDecodeBytesAdmits checks that the largest
// images the per-image limit lets through, of any shape, also fit the
// default decode memory at the default pixel budget.
func TestDefaultLimiterAdmitsWhatMaxDecodeBytesAdmits(t *testing.T) {
	for _, size := range [][2]uint32{{8192, 8192}, {33554, 2000}, {2000, 33554}} {
		data := pngHeader(size[0], size[1])
		if work := workOf(t, data, Options{}); work > DefaultDecodeMemory {
			t.Errorf("%d×%d RGBA needs %d MiB, more than the default %d MiB", size[0], size[1], work>>20, DefaultDecodeMemory>>20)
		}
	}
}
