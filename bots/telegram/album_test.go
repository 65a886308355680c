package telegram

import (
	"fmt"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// pushAlbum queues n photos of one media group, the caption on the second,
// and returns the last update id.
func pushAlbum(h *harness, chat tgtest.Chat, from tgtest.User, group, caption string, n int) int {
	last := 0
	for i := range n {
		id := fmt.Sprintf("%s-%d", group, i)
		h.srv.AddFile(id, []byte("page "+id))
		m := tgtest.Message{Chat: chat, From: from, MediaGroupID: group, Photo: tgtest.Photo(id, 6+len(group))}
		if i == 1 {
			m.Caption = caption
		}
		last = h.srv.Push(m)
	}
	return last
}

func TestAlbumMergedIntoOneTurn(t *testing.T) {
	h := startHarness(t, Config{AlbumWait: time.Second})
	last := pushAlbum(h, tgtest.PrivateChat(alice()), alice(), "g1", "solve these", 3)
	h.acked(t, last)
	timers(t, h.clock, 1, "the album's quiet period")
	h.clock.Advance(time.Second)
	tn := h.nextTurn(t)
	if tn.Text != "solve these" || len(tn.Images) != 3 {
		t.Fatalf("turn %q with %d images, want 3 images", tn.Text, len(tn.Images))
	}
	for i, img := range tn.Images {
		if want := fmt.Sprintf("page g1-%d", i); string(img.Data) != want {
			t.Errorf("image %d = %q, want %q", i, img.Data, want)
		}
	}
}

func TestAlbumWaitsForQuiet(t *testing.T) {
	h := startHarness(t, Config{AlbumWait: time.Second})
	chat := tgtest.PrivateChat(alice())
	h.acked(t, pushAlbum(h, chat, alice(), "g2", "", 1))
	timers(t, h.clock, 1, "the album's quiet period")
	h.clock.Advance(600 * time.Millisecond)
	h.srv.AddFile("late", []byte("late page"))
	h.acked(t, h.srv.Push(tgtest.Message{Chat: chat, From: alice(), MediaGroupID: "g2", Photo: tgtest.Photo("late", 9)}))
	h.clock.Advance(600 * time.Millisecond) // 1.2 s after the first, 0.6 s after the last
	timers(t, h.clock, 1, "the album still gathering")
	select {
	case tn := <-h.turns:
		t.Fatalf("album flushed before it was quiet: %+v", tn)
	default:
	}
	h.clock.Advance(400 * time.Millisecond)
	tn := h.nextTurn(t)
	if len(tn.Images) != 2 || tn.Text != "" {
		t.Errorf("turn %q with %d images, want no text (the engine's photo prompt) and 2 images", tn.Text, len(tn.Images))
	}
}

func TestGroupAlbum(t *testing.T) {
	h := startHarness(t, Config{AlbumWait: time.Second, MaxImages: 2})
	group := tgtest.GroupChat(groupID)
	h.acked(t, pushAlbum(h, group, bob(), "ignored", "no mention", 3))
	timers(t, h.clock, 1, "the ignored album's quiet period")
	h.clock.Advance(time.Second)
	h.acked(t, pushAlbum(h, group, alice(), "asked", "@qwen_test_bot compare", 3))
	timers(t, h.clock, 1, "the album's quiet period")
	h.clock.Advance(time.Second)
	tn := h.nextTurn(t)
	if tn.Text != "compare" || tn.Sender.Name != "Alice Liddell" || len(tn.Images) != 2 {
		t.Fatalf("turn %q from %q with %d images, want Alice's album cut to 2", tn.Text, tn.Sender.Name, len(tn.Images))
	}
	notice := h.srv.WaitCall(t, "sendMessage", nil)
	if notice.Params["text"] != "Only the first 2 images are used." {
		t.Errorf("notice = %q", notice.Params["text"])
	}
}

func TestMessageAfterAlbumWaitsForIt(t *testing.T) {
	h := startHarness(t, Config{AlbumWait: time.Hour})
	chat := tgtest.PrivateChat(alice())
	pushAlbum(h, chat, alice(), "g3", "first these", 2)
	h.srv.Push(tgtest.Message{Chat: chat, From: alice(), Text: "then this"})
	tn := h.nextTurn(t)
	if tn.Text != "first these" || len(tn.Images) != 2 {
		t.Fatalf("first turn %q with %d images, want the album", tn.Text, len(tn.Images))
	}
	if tn = h.nextTurn(t); tn.Text != "then this" {
		t.Errorf("second turn %q, want the text sent after the album", tn.Text)
	}
}

func TestAlbumInAnotherChatIsNotFlushed(t *testing.T) {
	h := startHarness(t, Config{AlbumWait: time.Second})
	last := pushAlbum(h, tgtest.PrivateChat(bob()), bob(), "g4", "bob's pages", 2)
	h.acked(t, last)
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "hi"})
	if tn := h.nextTurn(t); tn.Text != "hi" {
		t.Fatalf("first turn %q, want Alice's text", tn.Text)
	}
	select {
	case tn := <-h.turns:
		t.Fatalf("Bob's album flushed by Alice's message: %+v", tn)
	default:
	}
	timers(t, h.clock, 1, "Bob's album's quiet period")
	h.clock.Advance(time.Second)
	if tn := h.nextTurn(t); tn.Text != "bob's pages" || len(tn.Images) != 2 {
		t.Errorf("album turn %q with %d images", tn.Text, len(tn.Images))
	}
}
