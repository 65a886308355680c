//go:build race

package imaging

// raceEnabled reports a -race build, which runs pixel loops 20–30× slower:
// the 12 MP end-to-end case then runs at a quarter of the size and budget
// (the same 2.14× shrink and code paths) to keep the package's tests fast.
const raceEnabled = true
