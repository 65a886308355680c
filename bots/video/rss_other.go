//go:build !unix

package video

import "os"

// peakRSS is unknown off unix.
func peakRSS(*os.ProcessState) int64 { return 0 }
