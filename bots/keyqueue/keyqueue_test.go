package keyqueue

import (
	"slices"
	"sync"
	"testing"
)

func TestQueuesKeepOrderPerKey(t *testing.T) {
	q := New(4)
	var mu sync.Mutex
	got := map[string][]int{}
	for i := range 50 {
		for _, key := range []string{"a", "b"} {
			if !q.Go(key, func() {
				mu.Lock()
				defer mu.Unlock()
				got[key] = append(got[key], i)
			}) {
				t.Fatalf("job %d of %s dropped", i, key)
			}
		}
	}
	q.Wait()
	for _, key := range []string{"a", "b"} {
		if len(got[key]) != 50 || !slices.IsSorted(got[key]) {
			t.Errorf("%s ran %v, want 0..49 in order", key, got[key])
		}
	}
	q.Close()
	if q.Go("a", func() {}) {
		t.Error("Go accepted a job after Close")
	}
}

func TestQueuesBoundPending(t *testing.T) {
	q := New(1)
	block := make(chan struct{})
	started := make(chan struct{})
	q.Go("a", func() { close(started); <-block })
	<-started
	accepted := 0
	for range MaxPending + 5 {
		if q.Go("a", func() {}) {
			accepted++
		}
	}
	close(block)
	q.Close()
	if accepted != MaxPending {
		t.Errorf("accepted %d waiting jobs, want %d", accepted, MaxPending)
	}
}

func TestQueuesBoundRunningKeys(t *testing.T) {
	q := New(2)
	var mu sync.Mutex
	running, peak := 0, 0
	release := make(chan struct{})
	entered := make(chan struct{}, 3)
	for _, key := range []string{"a", "b", "c"} {
		q.Go(key, func() {
			mu.Lock()
			running++
			peak = max(peak, running)
			mu.Unlock()
			entered <- struct{}{}
			<-release
			mu.Lock()
			running--
			mu.Unlock()
		})
	}
	<-entered
	<-entered
	close(release)
	q.Wait()
	q.Close()
	if peak != 2 {
		t.Errorf("peak running keys = %d, want 2", peak)
	}
}
