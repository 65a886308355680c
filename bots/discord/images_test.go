package discord

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestImageType(t *testing.T) {
	tests := []struct {
		name string
		a    *discordgo.MessageAttachment
		want string
	}{
		{"declared", &discordgo.MessageAttachment{ContentType: "image/png", Filename: "x.bin"}, "image/png"},
		{"declared with params", &discordgo.MessageAttachment{ContentType: "image/jpeg; charset=binary"}, "image/jpeg"},
		{"declared non-image", &discordgo.MessageAttachment{ContentType: "application/pdf", Filename: "x.png"}, ""},
		{"by extension", &discordgo.MessageAttachment{Filename: "SCAN.JPG"}, "image/jpeg"},
		{"unknown extension", &discordgo.MessageAttachment{Filename: "notes.txt"}, ""},
		{"nil", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := imageType(tt.a); got != tt.want {
				t.Errorf("imageType = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFetchImagesNotes(t *testing.T) {
	tests := []struct {
		name      string
		atts      func(fake *dctest.Server) []*discordgo.MessageAttachment
		images    int
		note      string
		downloads int
	}{
		{"declared too large", func(f *dctest.Server) []*discordgo.MessageAttachment {
			a := f.AddAttachment("big.png", "image/png", pngBytes)
			a.Size = 1 << 30
			return []*discordgo.MessageAttachment{a}
		}, 0, "Skipped big.png: larger than 1 KB.", 0},
		{"larger than declared", func(f *dctest.Server) []*discordgo.MessageAttachment {
			a := f.AddAttachment("liar.png", "image/png", make([]byte, 2048))
			a.Size = 10
			return []*discordgo.MessageAttachment{a}
		}, 0, "Skipped liar.png: larger than 1 KB.", 1},
		{"gone from the CDN", func(f *dctest.Server) []*discordgo.MessageAttachment {
			a := f.AddAttachment("old.png", "image/png", pngBytes)
			a.URL = f.URL() + "/attachments/1/expired.png"
			return []*discordgo.MessageAttachment{a}
		}, 0, "Could not download old.png.", 0},
		{"fine", func(f *dctest.Server) []*discordgo.MessageAttachment {
			return []*discordgo.MessageAttachment{f.AddAttachment("ok.png", "image/png", pngBytes)}
		}, 1, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			cfg := testConfig(fake, botstest.NewFakeClock(epoch))
			cfg.MaxImageBytes = 1024
			b := newTestBot(t, fake, cfg, &fakeEngine{})
			ups, notes := b.fetchImages(t.Context(), tt.atts(fake))
			if len(ups) != tt.images || strings.Join(notes, " ") != tt.note {
				t.Errorf("got %d images, notes %q; want %d, %q", len(ups), notes, tt.images, tt.note)
			}
			if n := len(fake.Downloads()); n != tt.downloads {
				t.Errorf("%d downloads, want %d", n, tt.downloads)
			}
		})
	}
}

// blockingTransport holds every request until the test releases its URL,
// counting the requests in flight.
type blockingTransport struct {
	next    http.RoundTripper
	entered chan string
	release map[string]chan struct{}

	mu             sync.Mutex
	inFlight, most int
}

// RoundTrip implements http.RoundTripper.
func (bt *blockingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	bt.mu.Lock()
	bt.inFlight++
	bt.most = max(bt.most, bt.inFlight)
	bt.mu.Unlock()
	defer func() {
		bt.mu.Lock()
		bt.inFlight--
		bt.mu.Unlock()
	}()
	bt.entered <- r.URL.String()
	<-bt.release[r.URL.String()]
	return bt.next.RoundTrip(r)
}

// TestFetchImagesInParallel releases the downloads of five attachments in
// reverse order of arrival: at most parallelDownloads run at once, and the
// images and notes keep the attachments' order.
func TestFetchImagesInParallel(t *testing.T) {
	fake := dctest.New(t)
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), &fakeEngine{})
	bt := &blockingTransport{next: fake.Client().Transport, entered: make(chan string, 8), release: map[string]chan struct{}{}}
	b.hc = &http.Client{Transport: bt}
	var atts []*discordgo.MessageAttachment
	for i := range 5 {
		a := fake.AddAttachment(fmt.Sprintf("p%d.png", i), "image/png", fmt.Appendf(nil, "image %d", i))
		if i == 3 {
			a.URL = fake.URL() + "/attachments/1/expired.png"
		}
		bt.release[a.URL] = make(chan struct{})
		atts = append(atts, a)
	}
	done := make(chan struct{})
	var ups []bots.Upload
	var notes []string
	go func() {
		defer close(done)
		ups, notes = b.fetchImages(t.Context(), atts)
	}()
	for left := len(atts); left > 0; {
		var batch []string
		for range min(left, parallelDownloads) {
			select {
			case u := <-bt.entered:
				batch = append(batch, u)
			case <-time.After(10 * time.Second): // a failure deadline, never a pause
				t.Fatalf("%d downloads started, want %d at once", len(batch), min(left, parallelDownloads))
			}
		}
		for i := len(batch) - 1; i >= 0; i-- {
			close(bt.release[batch[i]])
		}
		left -= len(batch)
	}
	<-done
	var got []string
	for _, u := range ups {
		got = append(got, string(u.Data))
	}
	if strings.Join(got, ",") != "image 0,image 1,image 2,image 4" || strings.Join(notes, " ") != "Could not download p3.png." {
		t.Errorf("images %q, notes %q; want 0, 1, 2, 4 in order and a note for p3", got, notes)
	}
	bt.mu.Lock()
	defer bt.mu.Unlock()
	if bt.most > parallelDownloads {
		t.Errorf("%d downloads at once, want at most %d", bt.most, parallelDownloads)
	}
}
