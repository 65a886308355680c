package telegram

import (
	"fmt"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// photoSizes are the sizes Telegram sends for a 4000×3000 photo, as
// fileID plus a size letter, smallest first.
func photoSizes(fileID string) []tgtest.PhotoSize {
	return []tgtest.PhotoSize{
		{FileID: fileID + "_s", Width: 90, Height: 68, FileSize: 1_500},
		{FileID: fileID + "_m", Width: 320, Height: 240, FileSize: 15_000},
		{FileID: fileID + "_x", Width: 800, Height: 600, FileSize: 70_000},
		{FileID: fileID + "_y", Width: 1280, Height: 960, FileSize: 150_000},
		{FileID: fileID + "_w", Width: 2560, Height: 1920, FileSize: 500_000},
	}
}

func TestPickPhoto(t *testing.T) {
	var sizes []tgbotapi.PhotoSize
	for _, p := range photoSizes("p") {
		sizes = append(sizes, tgbotapi.PhotoSize{FileID: p.FileID, Width: p.Width, Height: p.Height, FileSize: p.FileSize})
	}
	unordered := []tgbotapi.PhotoSize{sizes[4], sizes[1], sizes[3], sizes[0]}
	tests := []struct {
		name      string
		sizes     []tgbotapi.PhotoSize
		maxPixels int
		want      string
	}{
		{"default budget: the 2560 px size", sizes, 2_621_440, "p_w"},
		{"budget a 1280 px size covers", sizes, 1_228_800, "p_y"},
		{"just over a size: the next one", sizes, 480_001, "p_y"},
		{"tiny budget: smallest covering", sizes, 5_000, "p_s"},
		{"none covers: the largest", sizes, 16_777_216, "p_w"},
		{"no budget: the largest", sizes, 0, "p_w"},
		{"any order", unordered, 1_000_000, "p_y"},
		{"any order, none covers", unordered, 16_777_216, "p_w"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pickPhoto(tt.sizes, tt.maxPixels).FileID; got != tt.want {
				t.Errorf("pickPhoto = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestPhotoSizeDownloaded checks which of a photo's sizes the bot fetches
// for the model's pixel budget.
func TestPhotoSizeDownloaded(t *testing.T) {
	h := startHarness(t, Config{MaxPixels: 1_000_000})
	for _, p := range photoSizes("hw") {
		h.srv.AddFile(p.FileID, []byte("photo "+p.FileID))
	}
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Photo: photoSizes("hw")})
	tn := h.nextTurn(t)
	if len(tn.Images) != 1 || string(tn.Images[0].Data) != "photo hw_y" {
		t.Fatalf("turn images %q, want the 1280×960 size", tn.Images)
	}
	var got []string
	for _, c := range h.srv.Calls("getFile") {
		got = append(got, c.Params["file_id"])
	}
	if len(got) != 1 || got[0] != "hw_y" {
		t.Errorf("getFile for %v, want only hw_y", got)
	}
}

// TestAlbumDownloadsInParallel holds every getFile of a six-photo album
// until the test releases it, in reverse order of arrival: at most
// parallelDownloads run at once, and the turn keeps the album's order.
func TestAlbumDownloadsInParallel(t *testing.T) {
	const n = 6
	entered := make(chan string, n)
	release := map[string]chan struct{}{}
	var mu sync.Mutex
	inFlight, most := 0, 0
	for i := range n {
		release[fmt.Sprintf("a-%d", i)] = make(chan struct{})
	}
	h := newHarness(t, Config{AlbumWait: time.Second})
	h.srv.OnCall("getFile", func(c tgtest.Call) *tgtest.Failure {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		entered <- c.Params["file_id"]
		<-release[c.Params["file_id"]]
		mu.Lock()
		inFlight--
		mu.Unlock()
		return nil
	})
	h.run(t)
	chat := tgtest.PrivateChat(alice())
	last := 0
	for i := range n {
		id := fmt.Sprintf("a-%d", i)
		h.srv.AddFile(id, []byte("page "+id))
		last = h.srv.Push(tgtest.Message{Chat: chat, From: alice(), MediaGroupID: "a", Photo: tgtest.Photo(id, 10)})
	}
	h.acked(t, last)
	timers(t, h.clock, 1, "the album's quiet period")
	h.clock.Advance(time.Second)
	for range n / parallelDownloads {
		var batch []string
		for range parallelDownloads {
			select {
			case id := <-entered:
				batch = append(batch, id)
			case <-time.After(waitTimeout):
				t.Fatalf("only %d downloads started, want %d at once", len(batch), parallelDownloads)
			}
		}
		for i := len(batch) - 1; i >= 0; i-- {
			close(release[batch[i]])
		}
	}
	tn := h.nextTurn(t)
	if len(tn.Images) != n {
		t.Fatalf("%d images, want %d", len(tn.Images), n)
	}
	for i, img := range tn.Images {
		if want := fmt.Sprintf("page a-%d", i); string(img.Data) != want {
			t.Errorf("image %d = %q, want %q", i, img.Data, want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if most > parallelDownloads {
		t.Errorf("%d downloads at once, want at most %d", most, parallelDownloads)
	}
}
