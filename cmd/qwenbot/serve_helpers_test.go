package main

import (
	"bufio"
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

// waitLimit bounds every wait of these tests. Only a failing test waits
// that long, so it is generous for a slow, busy machine (-race, other
// packages' tests, serve in a subprocess).
const waitLimit = 30 * time.Second

// syncBuffer collects a program's output; it is safe for concurrent use
// and lets a test wait for a line. The zero value is ready to use.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the output contains s.
func (b *syncBuffer) waitFor(tb testing.TB, s string) {
	tb.Helper()
	deadline := time.After(waitLimit)
	for {
		b.mu.Lock()
		if b.changed == nil {
			b.changed = make(chan struct{})
		}
		ok, ch := strings.Contains(b.buf.String(), s), b.changed
		b.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			tb.Fatalf("output never contained %q:\n%s", s, b.String())
		}
	}
}

// testRedis returns the URL of the test Redis (see memorytest), a client
// and a key prefix unique to the test whose keys are deleted when it ends.
// Without Redis, and under -short, the test is skipped.
func testRedis(t *testing.T) (url, prefix string, rdb redis.UniversalClient) {
	t.Helper()
	rdb = memorytest.Redis(t)
	url, _ = memorytest.URL()
	return url, memorytest.Prefix(t, rdb), rdb
}

// history loads a chat's stored turns from the test Redis.
func history(t *testing.T, rdb redis.UniversalClient, prefix, chat string) []memory.Turn {
	t.Helper()
	st := memory.NewStore(rdb, memory.Config{Prefix: prefix}, nil)
	h, err := st.Load(context.Background(), chat, 50, 0)
	if err != nil {
		t.Fatalf("load history of %s: %v", chat, err)
	}
	return h.Turns
}

// turnWatch wraps the server's observer so a test can wait for turns.
type turnWatch struct {
	bots.Observer
	started  chan string
	finished chan bots.TurnReport
}

func newTurnWatch() *turnWatch {
	return &turnWatch{started: make(chan string, 64), finished: make(chan bots.TurnReport, 64)}
}

func (w *turnWatch) wrap(o bots.Observer) bots.Observer { w.Observer = o; return w }

func (w *turnWatch) TurnStarted(platform string) {
	w.Observer.TurnStarted(platform)
	w.started <- platform
}

func (w *turnWatch) TurnFinished(r bots.TurnReport) {
	w.Observer.TurnFinished(r)
	w.finished <- r
}

// waitTimeout fires when a wait has lasted too long.
func waitTimeout() <-chan time.Time { return time.After(waitLimit) }

// recv waits for a value on ch.
func recv[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-waitTimeout():
		tb.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

// instance is one "qwenbot serve" running in the test process.
type instance struct {
	ep     endpoints
	stderr *syncBuffer
	sigs   chan os.Signal
	turns  *turnWatch
	done   chan int
}

// startServe runs "qwenbot serve" with args and env (and nothing else
// from the environment) until the test ends, and waits until it listens.
func startServe(t *testing.T, env map[string]string, args ...string) *instance {
	t.Helper()
	in := &instance{stderr: &syncBuffer{}, sigs: make(chan os.Signal, 2), turns: newTurnWatch(), done: make(chan int, 1)}
	eps := make(chan endpoints, 1)
	opts := runOptions{signals: in.sigs, started: func(ep endpoints) { eps <- ep }, observe: in.turns.wrap}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		in.done <- runWith(ctx, opts, append([]string{"serve"}, args...), envMap(env), io.Discard, in.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-in.done:
		case <-time.After(waitLimit):
			t.Errorf("serve did not stop; output:\n%s", in.stderr.String())
		}
	})
	select {
	case in.ep = <-eps:
	case code := <-in.done:
		in.done <- code
		t.Fatalf("serve exited with %d before listening:\n%s", code, in.stderr.String())
	case <-time.After(waitLimit):
		t.Fatalf("serve did not start:\n%s", in.stderr.String())
	}
	return in
}

// stop sends SIGTERM and returns the exit code.
func (in *instance) stop(t *testing.T) int {
	t.Helper()
	in.sigs <- syscall.SIGTERM
	code := recv(t, in.done, "serve to exit")
	in.done <- code // for the cleanup
	return code
}

// get fetches path from the operator endpoint.
func (in *instance) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + in.ep.ops.String() + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, string(body)
}

// metrics scrapes /metrics into a map from series ("name{labels}", labels
// as Prometheus prints them, sorted) to value.
func (in *instance) metrics(t *testing.T) map[string]float64 {
	t.Helper()
	code, body := in.get(t, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	m := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad metrics line %q", line)
		}
		m[line[:i]] = v
	}
	return m
}

// jpegBytes is a small real JPEG, for the image pipeline to decode.
func jpegBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(4 * x), uint8(5 * y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// merge returns the union of maps, later ones winning.
func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}
