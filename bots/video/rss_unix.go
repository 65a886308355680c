//go:build unix

package video

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSS returns the peak resident memory of an ended process, in bytes,
// or 0 when unknown.
func peakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return ru.Maxrss // bytes there
	}
	return ru.Maxrss << 10 // KiB elsewhere
}
