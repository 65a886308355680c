package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
)

// load runs one load: it starts the world, wires the bots against it,
// lets the world drive its users, and returns the combined report. The
// bots are stopped and the run's Redis keys deleted before it returns.
func load(ctx context.Context, o options, stderr io.Writer) (rep report, err error) {
	log := newLogger(o.LogLevel, stderr)
	wp, err := startWorld(ctx, o, stderr)
	if err != nil {
		return report{}, err
	}
	defer func() { err = errors.Join(err, wp.close()) }()
	bs, err := startBots(ctx, o, wp.hello, log)
	if err != nil {
		return report{}, err
	}
	bs.run(ctx)
	defer func() { err = errors.Join(err, bs.stop(ctx)) }()
	stopProfile, err := startCPUProfile(o.CPUProfile)
	if err != nil {
		return report{}, err
	}
	defer func() { err = errors.Join(err, stopProfile()) }()
	hs := &heapSampler{streams: bs.streams, profile: o.HeapProfile}
	hs.baseline()
	sctx, stopSampling := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { hs.run(sctx) })
	res, err := wp.load()
	stopSampling()
	wg.Wait()
	if err != nil {
		return report{}, err
	}
	m := bs.metrics(hs) // before the image conversation adds to them
	img, err := wp.image()
	if err != nil {
		return report{}, err
	}
	return newReport(o, res, img, m), nil
}

// metrics snapshots the bot side's own measurements.
func (b *botSide) metrics(hs *heapSampler) botMetrics {
	m := botMetrics{
		heap:        hs.perStream(),
		peakStreams: b.streams.peak.Load(),
		finished:    b.obs.finished.Load(),
		bot429:      b.obs.limited.Load(),
	}
	m.cpu, m.peakRSS, m.usageOK = processUsage()
	if c := b.stores.counts; c != nil {
		m.redis, m.redisCommands, m.redisTrips = true, c.commands.Load(), c.roundTrips.Load()
	}
	return m
}

// newLogger logs the bots' messages at level and above as text.
func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		panic(fmt.Sprintf("qwenbot-load: unvalidated log level %q", level))
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
