package main

import (
	"math"
	"testing"
)

// line returns n samples of live = base + per×streams (+ noise(i)), with
// streams cycling from lo to hi.
func line(n int, lo, hi int64, base, per float64, noise func(i int) float64) []heapSample {
	out := make([]heapSample, n)
	for i := range out {
		s := lo + int64(i)%(hi-lo+1)
		out[i] = heapSample{streams: s, live: uint64(base + per*float64(s) + noise(i))}
	}
	return out
}

func TestEstimateHeap(t *testing.T) {
	none := func(int) float64 { return 0 }
	// alternate adds ±4 KiB: no trend, so the slope stays exact.
	alternate := func(i int) float64 { return float64(4096 * (1 - 2*(i/11%2))) }
	ratio := func() (float64, int) { return 90 << 10, 7 }
	tests := []struct {
		name    string
		samples []heapSample
		method  string
		per     float64
		tol     float64
		r2Min   float64
		r2Max   float64
	}{
		{"exact line", line(30, 2, 20, 8<<20, 20<<10, none), heapBySlope, 20 << 10, 1, 0.999, 1},
		{"noisy line", line(44, 0, 10, 8<<20, 30<<10, alternate), heapBySlope, 30 << 10, 2 << 10, 0.5, 0.999},
		{"flat heap", line(30, 2, 20, 8<<20, 0, none), heapBySlope, 0, 1, 0, 1},
		{"too few samples", line(minFitSamples-1, 0, 20, 8<<20, 20<<10, none), heapByRatio, 90 << 10, 0, 0, 0},
		{"too narrow a range", line(100, 10, 10+minFitRange-1, 8<<20, 20<<10, none), heapByRatio, 90 << 10, 0, 0, 0},
		{"no samples", nil, heapByRatio, 90 << 10, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := estimateHeap(tc.samples, ratio)
			if e.method != tc.method {
				t.Fatalf("method = %q, want %q", e.method, tc.method)
			}
			if math.Abs(e.perStream-tc.per) > tc.tol {
				t.Errorf("per stream = %.0f B, want %.0f ± %.0f", e.perStream, tc.per, tc.tol)
			}
			if e.r2 < tc.r2Min || e.r2 > tc.r2Max {
				t.Errorf("R² = %.3f, want in [%.3f, %.3f]", e.r2, tc.r2Min, tc.r2Max)
			}
			if tc.method == heapByRatio && e.samples != 7 {
				t.Errorf("ratio samples = %d, want the ratio's 7", e.samples)
			}
			if tc.method == heapBySlope && e.samples != len(tc.samples) {
				t.Errorf("samples = %d, want %d", e.samples, len(tc.samples))
			}
		})
	}
}

func TestLeastSquaresStdErr(t *testing.T) {
	// y = 2x exactly, then with one point off the line.
	xs := []float64{0, 1, 2, 3, 4}
	tests := []struct {
		name   string
		ys     []float64
		slope  float64
		stdErr float64
	}{
		{"on the line", []float64{0, 2, 4, 6, 8}, 2, 0},
		// By hand: the fit is y = 2.4x - 0.4, residuals 0.4, 0, -0.4,
		// -0.8, 0.8, so SSres = 1.6, Sxx = 10 and stdErr = √(1.6/3/10).
		{"one point off", []float64{0, 2, 4, 6, 10}, 2.4, math.Sqrt(1.6 / 3 / 10)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			slope, _, se := leastSquares(xs, tc.ys)
			if math.Abs(slope-tc.slope) > 1e-9 || math.Abs(se-tc.stdErr) > 1e-9 {
				t.Errorf("slope %.6f ± %.6f, want %.6f ± %.6f", slope, se, tc.slope, tc.stdErr)
			}
		})
	}
}

func TestReportHeapText(t *testing.T) {
	tests := []struct {
		name string
		r    report
		want string
	}{
		{"slope", report{HeapPerStreamKiB: 19.1, HeapStdErrKiB: 4.25, HeapMethod: heapBySlope, HeapSamples: 32,
			HeapStreamsMin: 4, HeapStreamsMax: 16, HeapR2: 0.46},
			"19.1 ± 4.2 KiB (slope over 32 samples at 4–16 streams, R² 0.46)"},
		{"ratio", report{HeapPerStreamKiB: 90, HeapMethod: heapByRatio, HeapSamples: 7, PeakStreams: 17},
			"90.0 KiB (too little variation in streams for a slope: heap above baseline / streams, 7 samples, peak 17 streams)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.heapText(); got != tc.want {
				t.Errorf("heapText() = %q, want %q", got, tc.want)
			}
		})
	}
}
