//go:build !race

package imaging

// raceEnabled reports a -race build; see race_test.go.
const raceEnabled = false
