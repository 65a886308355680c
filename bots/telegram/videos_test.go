package telegram

import (
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// TestVideoInputs checks which messages carry clips to the engine.
func TestVideoInputs(t *testing.T) {
	clip := func(id string) *tgtest.Clip {
		return &tgtest.Clip{FileID: id, Duration: 3, MimeType: "video/mp4", FileSize: 9}
	}
	tests := []struct {
		name string
		msg  func(chat tgtest.Chat) tgtest.Message
	}{
		{"video", func(c tgtest.Chat) tgtest.Message { return tgtest.Message{Chat: c, From: alice(), Video: clip("v1")} }},
		{"video note", func(c tgtest.Chat) tgtest.Message {
			return tgtest.Message{Chat: c, From: alice(), VideoNote: &tgtest.Clip{FileID: "v1", Duration: 5, FileSize: 9}}
		}},
		{"animation (with its document)", func(c tgtest.Chat) tgtest.Message {
			return tgtest.Message{Chat: c, From: alice(), Animation: clip("v1")}
		}},
		{"gif document", func(c tgtest.Chat) tgtest.Message {
			return tgtest.Message{Chat: c, From: alice(), Document: &tgtest.Document{FileID: "v1", FileName: "a.gif", MimeType: "image/gif", FileSize: 9}}
		}},
		{"video document", func(c tgtest.Chat) tgtest.Message {
			return tgtest.Message{Chat: c, From: alice(), Document: &tgtest.Document{FileID: "v1", FileName: "a.webm", MimeType: "video/webm", FileSize: 9}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, Config{})
			h.srv.AddFile("v1", []byte("clip v1"))
			h.srv.Push(tt.msg(tgtest.PrivateChat(alice())))
			tn := h.nextTurn(t)
			if len(tn.Videos) != 1 || string(tn.Videos[0].Data) != "clip v1" || len(tn.Images) != 0 {
				t.Fatalf("turn with %d videos, %d images, want the clip only", len(tn.Videos), len(tn.Images))
			}
		})
	}
}

// TestVideoReplyInGroup: replying to someone's video and mentioning the
// bot asks about that video; an unaddressed video is ignored.
func TestVideoReplyInGroup(t *testing.T) {
	h := startHarness(t, Config{})
	h.srv.AddFile("exp", []byte("clip exp"))
	group := tgtest.GroupChat(groupID)
	posted := tgtest.Message{ID: 500, Chat: group, From: bob(), Video: &tgtest.Clip{FileID: "exp", Duration: 20, MimeType: "video/mp4", FileSize: 8}}
	h.acked(t, h.srv.Push(posted))
	h.srv.Push(tgtest.Message{Chat: group, From: alice(), Text: "@qwen_test_bot what went wrong?", ReplyTo: &posted})
	tn := h.nextTurn(t)
	if tn.Text != "what went wrong?" || len(tn.Videos) != 1 || string(tn.Videos[0].Data) != "clip exp" {
		t.Fatalf("turn %q with %d videos, want the replied-to video", tn.Text, len(tn.Videos))
	}
}

// TestMixedAlbum: an album of photos and a video is one turn with both.
func TestMixedAlbum(t *testing.T) {
	h := startHarness(t, Config{AlbumWait: time.Second})
	chat := tgtest.PrivateChat(alice())
	h.srv.AddFile("p1", []byte("page 1"))
	h.srv.AddFile("v1", []byte("clip 1"))
	h.srv.Push(tgtest.Message{Chat: chat, From: alice(), MediaGroupID: "m", Photo: tgtest.Photo("p1", 6), Caption: "explain"})
	last := h.srv.Push(tgtest.Message{Chat: chat, From: alice(), MediaGroupID: "m", Video: &tgtest.Clip{FileID: "v1", Duration: 4, MimeType: "video/mp4", FileSize: 6}})
	h.acked(t, last)
	timers(t, h.clock, 1, "the album's quiet period")
	h.clock.Advance(time.Second)
	tn := h.nextTurn(t)
	if tn.Text != "explain" || len(tn.Images) != 1 || len(tn.Videos) != 1 || string(tn.Videos[0].Data) != "clip 1" {
		t.Fatalf("turn %q with %d images and %d videos, want one of each", tn.Text, len(tn.Images), len(tn.Videos))
	}
}

// TestVideoLimits: a clip declared over a limit gets a notice naming the
// limit and is never downloaded.
func TestVideoLimits(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		clip tgtest.Clip
		want string
	}{
		{"too long", Config{}, tgtest.Clip{FileID: "v", Duration: 121, MimeType: "video/mp4", FileSize: 10},
			"That video is too long (the limit is 2 min)."},
		{"too large", Config{MaxVideoBytes: 5 << 20}, tgtest.Clip{FileID: "v", Duration: 10, MimeType: "video/mp4", FileSize: 6 << 20},
			"That video file is too large (the limit is 5 MB)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, tt.cfg)
			h.srv.AddFile("v", []byte("clip"))
			h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Video: &tt.clip})
			notice := h.srv.WaitCall(t, "sendMessage", nil)
			if notice.Params["text"] != tt.want {
				t.Errorf("notice %q, want %q", notice.Params["text"], tt.want)
			}
			if n := len(h.srv.Calls("getFile")); n != 0 {
				t.Errorf("%d getFile calls, want none", n)
			}
			select {
			case tn := <-h.turns:
				t.Errorf("turn submitted: %+v", tn)
			default:
			}
		})
	}
}

// TestVideoOverTheBotAPILimit: a clip declared small that getFile refuses
// as too big gets the size notice, not a download failure.
func TestVideoOverTheBotAPILimit(t *testing.T) {
	h := startHarness(t, Config{})
	h.srv.AddFile("v", []byte("clip"))
	h.srv.FailNext("getFile", tgtest.BadRequest("Bad Request: file is too big"))
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Video: &tgtest.Clip{FileID: "v", Duration: 3}})
	notice := h.srv.WaitCall(t, "sendMessage", nil)
	if want := "That video file is too large (the limit is 20 MB)."; notice.Params["text"] != want {
		t.Errorf("notice %q, want %q", notice.Params["text"], want)
	}
}
