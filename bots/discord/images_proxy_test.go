package discord

import (
	"bytes"
	"cmp"
	"image"
	"image/jpeg"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestProxySized(t *testing.T) {
	const proxy = "https://media.discordapp.net/attachments/1/2/p.jpg?ex=1&is=2&hm=3"
	att := func(w, h int, proxy string) *discordgo.MessageAttachment {
		return &discordgo.MessageAttachment{Width: w, Height: h, ProxyURL: proxy}
	}
	tests := []struct {
		name   string
		a      *discordgo.MessageAttachment
		budget int
		w, h   string // "" = the original
	}{
		{"12 MP to 2.6 MP", att(4000, 3000, proxy), 2_621_440, "1870", "1403"},
		{"portrait", att(3000, 4000, proxy), 2_621_440, "1403", "1870"},
		{"panorama", att(8000, 1000, proxy), 1_000_000, "2829", "354"},
		{"exactly the budget", att(2000, 1000, proxy), 2_000_000, "", ""},
		{"smaller", att(1280, 960, proxy), 2_621_440, "", ""},
		{"no budget", att(4000, 3000, proxy), 0, "", ""},
		{"no dimensions", att(0, 0, proxy), 2_621_440, "", ""},
		{"no proxy", att(4000, 3000, ""), 2_621_440, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, ok := proxySized(tt.a, tt.budget)
			if !ok {
				if tt.w != "" {
					t.Fatalf("proxySized = original, want %sx%s", tt.w, tt.h)
				}
				return
			}
			if tt.w == "" {
				t.Fatalf("proxySized = %s, want the original", u)
			}
			p, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			q := p.Query()
			if q.Get("width") != tt.w || q.Get("height") != tt.h {
				t.Errorf("size %sx%s, want %sx%s", q.Get("width"), q.Get("height"), tt.w, tt.h)
			}
			if q.Get("ex") != "1" || q.Get("is") != "2" || q.Get("hm") != "3" || !strings.HasPrefix(u, "https://media.discordapp.net/attachments/1/2/p.jpg?") {
				t.Errorf("URL %s lost the proxy URL's path or signature", u)
			}
		})
	}
}

// jpegOf returns a w×h JPEG.
func jpegOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFetchImageSize checks which size of an attachment is downloaded for
// a pixel budget of 300,000: a larger one through the media proxy at the
// smallest size covering the budget (even when the original is over the
// byte limit), a smaller one as it is, and the original when the proxy
// fails.
func TestFetchImageSize(t *testing.T) {
	tests := []struct {
		name     string
		w, h     int
		maxBytes int64
		proxy    func(a *discordgo.MessageAttachment, fake *dctest.Server)
		download string // after "<id>/photo.jpg"
		size     image.Point
	}{
		{"larger", 1200, 900, 0, nil, "@633x475", image.Pt(633, 475)},
		{"larger than the byte limit", 1200, 900, 256 << 10, nil, "@633x475", image.Pt(633, 475)},
		{"smaller", 600, 450, 0, nil, "", image.Pt(600, 450)},
		{"proxy fails", 1200, 900, 0, func(a *discordgo.MessageAttachment, fake *dctest.Server) {
			a.ProxyURL = fake.URL() + "/media/attachments/1/gone.jpg"
		}, "", image.Pt(1200, 900)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			cfg := testConfig(fake, botstest.NewFakeClock(epoch))
			cfg.MaxPixels = 300_000
			cfg.MaxImageBytes = cmp.Or(tt.maxBytes, 1<<20)
			b := newTestBot(t, fake, cfg, &fakeEngine{})
			a := fake.AddAttachment("photo.jpg", "image/jpeg", jpegOf(t, tt.w, tt.h))
			if tt.maxBytes > 0 && int64(a.Size) <= tt.maxBytes {
				t.Fatalf("the original (%d bytes) is not over the limit", a.Size)
			}
			if tt.proxy != nil {
				tt.proxy(a, fake)
			}
			ups, notes := b.fetchImages(t.Context(), []*discordgo.MessageAttachment{a})
			if len(ups) != 1 || len(notes) != 0 {
				t.Fatalf("got %d images, notes %q; want the image", len(ups), notes)
			}
			c, _, err := image.DecodeConfig(bytes.NewReader(ups[0].Data))
			if err != nil || image.Pt(c.Width, c.Height) != tt.size {
				t.Errorf("image %dx%d (%v), want %v", c.Width, c.Height, err, tt.size)
			}
			if d := fake.Downloads(); len(d) != 1 || d[0] != a.ID+"/photo.jpg"+tt.download {
				t.Errorf("downloads %q, want [%s]", d, a.ID+"/photo.jpg"+tt.download)
			}
		})
	}
}
