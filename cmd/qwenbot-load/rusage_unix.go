//go:build linux || darwin

package main

import (
	"runtime"
	"syscall"
	"time"
)

// processUsage returns the CPU time this process used so far and its peak
// resident set size in bytes (getrusage RUSAGE_SELF).
func processUsage() (cpu time.Duration, peakRSS int64, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0, false
	}
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	peakRSS = int64(ru.Maxrss)
	if runtime.GOOS == "linux" {
		peakRSS *= 1024 // Linux reports KiB, Darwin bytes
	}
	return cpu, peakRSS, true
}
