package main

import "math"

// Bounds below which the heap samples vary too little in streams in
// flight for a slope: fewer samples, or a narrower range of streams.
const (
	minFitSamples = 10
	minFitRange   = 5
)

// Ways the heap per stream was estimated.
const (
	heapBySlope = "slope"
	heapByRatio = "ratio"
)

// heapEstimate is the heap one more stream in flight costs.
type heapEstimate struct {
	// perStream is bytes per stream in flight.
	perStream float64
	// method is heapBySlope (least-squares slope of live heap against
	// streams in flight) or heapByRatio (the fallback: heap above the
	// baseline divided by the streams, which counts fixed state too).
	method string
	// samples is how many (live heap, streams) pairs were fitted or
	// divided; r2 is the fit's coefficient of determination and stdErr
	// the slope's standard error in bytes (slope only).
	samples int
	r2      float64
	stdErr  float64
	// minStreams and maxStreams bound the streams in flight sampled.
	minStreams, maxStreams int64
}

// estimateHeap fits the live heap against the streams in flight over
// samples. When they vary too little (fewer than minFitSamples, or a range
// of streams under minFitRange), it falls back to ratio, the old
// heap-above-baseline per stream.
func estimateHeap(samples []heapSample, ratio func() (float64, int)) heapEstimate {
	e := heapEstimate{method: heapBySlope, samples: len(samples)}
	if len(samples) > 0 {
		e.minStreams, e.maxStreams = samples[0].streams, samples[0].streams
	}
	xs := make([]float64, len(samples))
	ys := make([]float64, len(samples))
	for i, s := range samples {
		e.minStreams, e.maxStreams = min(e.minStreams, s.streams), max(e.maxStreams, s.streams)
		xs[i], ys[i] = float64(s.streams), float64(s.live)
	}
	if len(samples) < minFitSamples || e.maxStreams-e.minStreams < minFitRange {
		e.method = heapByRatio
		e.perStream, e.samples = ratio()
		return e
	}
	e.perStream, e.r2, e.stdErr = leastSquares(xs, ys)
	return e
}

// leastSquares returns the slope of the least-squares line through
// (xs[i], ys[i]), its R² and its standard error. xs must not all be equal
// and there must be at least three points.
func leastSquares(xs, ys []float64) (slope, r2, stdErr float64) {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx, my = mx/n, my/n
	var sxx, sxy, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxx += dx * dx
		sxy += dx * dy
		syy += dy * dy
	}
	slope = sxy / sxx
	if syy == 0 {
		return slope, 1, 0
	}
	r2 = math.Min(1, sxy*sxy/(sxx*syy))
	return slope, r2, math.Sqrt(syy * (1 - r2) / (n - 2) / sxx)
}
