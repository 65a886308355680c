package main

import (
	"math"
	"slices"
	"time"
)

// summary is a latency distribution in milliseconds.
type summary struct {
	N   int     `json:"n"`
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	P99 float64 `json:"p99_ms"`
	Max float64 `json:"max_ms"`
}

// summarize returns the distribution of ds (which it sorts).
func summarize(ds []time.Duration) summary {
	if len(ds) == 0 {
		return summary{}
	}
	slices.Sort(ds)
	return summary{N: len(ds), P50: ms(quantile(ds, 0.50)), P95: ms(quantile(ds, 0.95)), P99: ms(quantile(ds, 0.99)), Max: ms(ds[len(ds)-1])}
}

// quantile returns the nearest-rank q-quantile of sorted ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	i := int(math.Ceil(q*float64(len(ds)))) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}

// ms converts d to milliseconds, rounded to 0.1 ms.
func ms(d time.Duration) float64 {
	return math.Round(float64(d)/float64(time.Millisecond)*10) / 10
}

// median returns the median of xs (which it sorts), or 0.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[(len(xs)-1)/2]
}

// round2 rounds x to two decimals.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// less returns s with d milliseconds taken off every figure (none below 0).
func (s summary) less(d float64) summary {
	cut := func(x float64) float64 { return round2(max(x-d, 0)) }
	return summary{N: s.N, P50: cut(s.P50), P95: cut(s.P95), P99: cut(s.P99), Max: cut(s.Max)}
}
