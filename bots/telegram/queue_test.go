package telegram

import (
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

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
