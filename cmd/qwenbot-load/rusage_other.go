//go:build !linux && !darwin

package main

import "time"

// processUsage is unavailable here: the report leaves CPU and RSS out.
func processUsage() (cpu time.Duration, peakRSS int64, ok bool) { return 0, 0, false }
