package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// signalChannel returns the channel of stop signals: the injected one, or
// SIGINT and SIGTERM (Docker stops containers with SIGTERM). stop ends the
// delivery.
func (o runOptions) signalChannel() (sigs <-chan os.Signal, stop func()) {
	if o.signals != nil {
		return o.signals, func() {}
	}
	c := make(chan os.Signal, 2)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return c, func() { signal.Stop(c) }
}

// errInterrupted is the cause of fn's context ending on a stop signal.
var errInterrupted = errors.New("interrupted by a signal")

// untilSignalled runs fn and returns its exit code. The first signal on
// sigs cancels fn's context with errInterrupted (fn then drains and
// returns); a second one returns exitError at once without waiting for fn, which keeps running
// until the process exits (main exits right away). A nil sigs never fires.
func untilSignalled(ctx context.Context, sigs <-chan os.Signal, stderr io.Writer, fn func(context.Context) int) int {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	done := make(chan int, 1)
	go func() { done <- fn(ctx) }()
	stopping := false
	for {
		select {
		case code := <-done:
			return code
		case sig := <-sigs:
			if stopping {
				fmt.Fprintf(stderr, "qwenbot: second %v: exiting without waiting for running answers\n", sig)
				return exitError
			}
			stopping = true
			cancel(errInterrupted)
		}
	}
}
