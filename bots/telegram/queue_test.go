package telegram

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestChatQueuesKeepOrderPerChat(t *testing.T) {
	q := newChatQueues(4)
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
	q.Close()
	for _, key := range []string{"a", "b"} {
		if len(got[key]) != 50 || !slices.IsSorted(got[key]) {
			t.Errorf("%s ran %v, want 0..49 in order", key, got[key])
		}
	}
	if q.Go("a", func() {}) {
		t.Error("Go accepted a job after Close")
	}
}

func TestChatQueuesBoundPending(t *testing.T) {
	q := newChatQueues(1)
	block := make(chan struct{})
	started := make(chan struct{})
	q.Go("a", func() { close(started); <-block })
	<-started
	accepted := 0
	for range maxPending + 5 {
		if q.Go("a", func() {}) {
			accepted++
		}
	}
	close(block)
	q.Close()
	if accepted != maxPending {
		t.Errorf("accepted %d waiting jobs, want %d", accepted, maxPending)
	}
}

func TestLRUSet(t *testing.T) {
	s := newLRUSet[int](2)
	if !s.Add(1) || !s.Add(2) || s.Add(1) {
		t.Fatal("Add did not report new keys")
	}
	s.Add(3) // evicts 2, the least recently added or touched
	if !s.Contains(1) || s.Contains(2) || !s.Contains(3) {
		t.Errorf("after eviction: 1=%v 2=%v 3=%v", s.Contains(1), s.Contains(2), s.Contains(3))
	}
}

func TestDownloadTimeoutFreesTheChat(t *testing.T) {
	h := newHarness(t, Config{})
	h.bot.downloadsTimeout = 50 * time.Millisecond
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) }) // before the server closes: cleanups run last-in first-out
	h.srv.OnCall("getFile", func(tgtest.Call) *tgtest.Failure { <-hang; return nil })
	h.run(t)
	chat := tgtest.PrivateChat(alice())
	h.srv.AddFile("p1", []byte("photo"))
	h.srv.Push(tgtest.Message{Chat: chat, From: alice(), Photo: tgtest.Photo("p1", 5), Caption: "slow"})
	h.srv.Push(tgtest.Message{Chat: chat, From: alice(), Text: "next"})
	if tn := h.nextTurn(t); tn.Text != "next" {
		t.Errorf("turn %q, want the message after the stuck download", tn.Text)
	}
	h.logs.waitFor(t, "image download failed")
}
