package imaging

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// rssCases are the peak-memory scenarios of TestPeakRSS: prepare n
// 8000×8000 RGBA PNGs (249 KB each, 244 MiB decoded) through one Limiter
// of the default size, concurrently or one after another.
var rssCases = map[string]struct {
	n          int
	concurrent bool
}{
	"album":  {6, false}, // one user's album: the engine prepares a turn's images in order
	"chats8": {8, true},  // eight chats sending one each at once
}

// TestPeakRSS measures the peak resident memory (VmHWM) of each rssCase in
// a fresh process. It needs about 400 MiB and a few seconds per case, so
// it runs only when IMAGING_RSS is set:
//
//	IMAGING_RSS=1 go test -run TestPeakRSS -v ./bots/imaging
//
// Set GOMEMLIMIT too to measure as docker-compose.yml deploys.
func TestPeakRSS(t *testing.T) {
	if os.Getenv("IMAGING_RSS") == "" || os.Getenv("IMAGING_RSS_CASE") != "" {
		t.Skip("set IMAGING_RSS=1 to measure peak RSS")
	}
	file := filepath.Join(t.TempDir(), "big.png")
	data := gradientPNG(t, 8000, 8000)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Logf("input: 8000×8000 RGBA PNG, %d bytes", len(data))
	for _, name := range []string{"album", "chats8"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPeakRSSChild$", "-test.v")
		cmd.Env = append(os.Environ(), "IMAGING_RSS_CASE="+name, "IMAGING_RSS_FILE="+file)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		_, rest, ok := strings.Cut(string(out), "peak_rss_kib ")
		kib, err := strconv.Atoi(strings.Fields(rest + " x")[0])
		if !ok || err != nil {
			t.Fatalf("%s: no figure in\n%s", name, out)
		}
		t.Logf("%s: peak RSS %d MiB (GOMEMLIMIT=%q)", name, kib>>10, os.Getenv("GOMEMLIMIT"))
		if kib>>10 >= 400 {
			t.Errorf("%s: peak RSS %d MiB, want under 400", name, kib>>10)
		}
	}
}

// TestPeakRSSChild is the process TestPeakRSS measures.
func TestPeakRSSChild(t *testing.T) {
	c, ok := rssCases[os.Getenv("IMAGING_RSS_CASE")]
	if !ok {
		t.Skip("run by TestPeakRSS")
	}
	data, err := os.ReadFile(os.Getenv("IMAGING_RSS_FILE"))
	if err != nil {
		t.Fatal(err)
	}
	l := NewLimiter(0, 0)
	prepare := func() {
		if _, err := l.Prepare(t.Context(), data, "image/png", Options{}); err != nil {
			t.Error(err)
		}
	}
	var wg sync.WaitGroup
	for range c.n {
		if c.concurrent {
			wg.Go(prepare)
		} else {
			prepare()
		}
	}
	wg.Wait()
	fmt.Printf("peak_rss_kib %d\n", vmHWM(t))
}

// vmHWM returns the process's peak resident set size in KiB.
func vmHWM(tb testing.TB) int {
	tb.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skip("no /proc/self/status:", err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kib, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				tb.Fatal(err)
			}
			return kib
		}
	}
	tb.Fatal("no VmHWM in /proc/self/status")
	return 0
}
