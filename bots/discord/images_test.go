package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
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
