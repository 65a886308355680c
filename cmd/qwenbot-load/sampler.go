package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// sampleEvery is how often the heap sampler reads the runtime's metrics.
const sampleEvery = 200 * time.Millisecond

// heapSample pairs the live heap after a GC with the streams in flight.
type heapSample struct {
	live    uint64
	streams int64
}

// heapSampler watches the live heap (as of the latest GC) against the
// model streams in flight, to estimate the heap one stream costs. Use it
// from one goroutine: baseline, run, then perStream.
type heapSampler struct {
	streams *streamGauge
	// profile, when set, is a file that receives a heap profile whenever
	// the streams in flight reach a new high (by a tenth).
	profile string
	base    uint64
	samples []heapSample
	best    int64
}

// liveHeap reads the live heap of the latest GC and the GC count.
func liveHeap() (live, cycles uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// baseline collects garbage and records the live heap before the load.
func (h *heapSampler) baseline() {
	runtime.GC()
	h.base, _ = liveHeap()
}

// run samples after every GC until ctx ends.
func (h *heapSampler) run(ctx context.Context) {
	t := time.NewTicker(sampleEvery)
	defer t.Stop()
	_, last := liveHeap()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		live, cycles := liveHeap()
		if cycles == last {
			continue
		}
		last = cycles
		n := h.streams.n.Load()
		h.samples = append(h.samples, heapSample{live: live, streams: n})
		if h.profile != "" && n > h.best+h.best/10 {
			h.best = n
			h.writeProfile()
		}
	}
}

// writeProfile writes a heap profile to h.profile; failures are reported
// on stderr only, as the profile is a diagnostic.
func (h *heapSampler) writeProfile() {
	f, err := os.Create(h.profile)
	if err == nil {
		err = pprof.Lookup("heap").WriteTo(f, 0)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "qwenbot-load: write heap profile:", err)
	}
}

// perStream estimates the marginal heap per stream in flight: the
// least-squares slope of the live heap against the streams in flight over
// every sample of the run (load and drain), or, when the streams vary too
// little for a fit, the ratio below.
func (h *heapSampler) perStream() heapEstimate {
	return estimateHeap(h.samples, h.ratio)
}

// ratio is the median, over the samples taken with at least half the peak
// streams in flight, of the live heap above the baseline divided by the
// streams, and the number of those samples. It counts the bot's fixed
// state (per-chat gates, queues, buffers) as if streams cost it.
func (h *heapSampler) ratio() (float64, int) {
	var peak int64
	for _, s := range h.samples {
		peak = max(peak, s.streams)
	}
	var per []float64
	for _, s := range h.samples {
		if s.streams > 0 && 2*s.streams >= peak {
			per = append(per, float64(int64(s.live)-int64(h.base))/float64(s.streams))
		}
	}
	return median(per), len(per)
}
