package fastjpeg

import (
	"bytes"
	"image"
	"reflect"
	"strings"
	"testing"
)

// rowLog is a Watcher that records what it is told, and checks on every
// call that the rows reported so far are final: equal to the decoded
// image's, compared once the decode ends.
type rowLog struct {
	img      *image.YCbCr
	rows     []int
	snaps    [][]byte // the luma rows reported, copied when reported
	rewrites int
}

func (l *rowLog) Rows(img *image.YCbCr, n int) {
	l.img = img
	l.rows = append(l.rows, n)
	l.snaps = append(l.snaps, append([]byte(nil), img.Y[:img.YOffset(0, n-1)+img.Rect.Dx()]...))
}

func (l *rowLog) Rewrite() { l.rewrites++ }

// TestDecodeWatched checks that DecodeWatched decodes like Decode and
// reports growing row counts up to the height, each of whose rows are
// final when reported, for the sequential YCbCr files only.
func TestDecodeWatched(t *testing.T) {
	for _, tf := range testFiles {
		t.Run(tf.name, func(t *testing.T) {
			data := readFile(t, tf.name)
			want, wantErr := Decode(bytes.NewReader(data))
			var l rowLog
			got, err := DecodeWatched(bytes.NewReader(data), &l)
			if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
				t.Fatalf("DecodeWatched differs from Decode: error %v, Decode's %v", err, wantErr)
			}
			m, ok := got.(*image.YCbCr)
			reported := ok && !strings.Contains(tf.name, "progressive")
			if (len(l.rows) > 0) != reported {
				t.Fatalf("reported %d times, want reports: %v", len(l.rows), reported)
			}
			if !reported {
				return
			}
			if l.img != m || l.rows[len(l.rows)-1] != m.Rect.Dy() || l.rewrites != 0 {
				t.Errorf("last report %d rows of the image returned: %v, want %d; %d rewrites", l.rows[len(l.rows)-1], l.img == m, m.Rect.Dy(), l.rewrites)
			}
			for i, n := range l.rows {
				if i > 0 && n <= l.rows[i-1] {
					t.Fatalf("rows reported %v: not growing", l.rows)
				}
				if !bytes.Equal(l.snaps[i], m.Y[:len(l.snaps[i])]) {
					t.Fatalf("rows reported at %d changed later", n)
				}
			}
		})
	}
}

// TestDecodeWatchedRewrite checks that a second scan over reported rows
// is announced before it is decoded, and nothing is reported after.
func TestDecodeWatchedRewrite(t *testing.T) {
	data := readFile(t, "video-001.q50.420.jpeg")
	sos := bytes.Index(data, []byte{0xFF, 0xDA})
	twice := append(append([]byte(nil), data[:len(data)-2]...), data[sos:]...)
	var l rowLog
	if _, err := DecodeWatched(bytes.NewReader(twice), &l); err != nil {
		t.Fatal(err)
	}
	if l.rewrites != 1 || l.rows[len(l.rows)-1] != 103 {
		t.Errorf("%d rewrites, rows %v; want 1 rewrite after rows up to 103", l.rewrites, l.rows)
	}
}
