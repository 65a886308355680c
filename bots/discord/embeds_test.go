package discord

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestEmbedImages(t *testing.T) {
	tests := []struct {
		name  string
		embed *discordgo.MessageEmbed
		want  string // URL downloaded, "" for none
	}{
		{"image via the media proxy", &discordgo.MessageEmbed{Image: &discordgo.MessageEmbedImage{
			URL: "https://example.com/a.png", ProxyURL: "https://media.discordapp.net/external/x/a.png"}},
			"https://media.discordapp.net/external/x/a.png"},
		{"image on the CDN", &discordgo.MessageEmbed{Image: &discordgo.MessageEmbedImage{
			URL: "https://cdn.discordapp.com/attachments/1/2/b.jpg"}}, "https://cdn.discordapp.com/attachments/1/2/b.jpg"},
		{"external proxy host", &discordgo.MessageEmbed{Image: &discordgo.MessageEmbedImage{
			ProxyURL: "https://images-ext-1.discordapp.net/external/y/c.webp"}}, "https://images-ext-1.discordapp.net/external/y/c.webp"},
		{"thumbnail of an image link", &discordgo.MessageEmbed{Type: discordgo.EmbedTypeImage, Thumbnail: &discordgo.MessageEmbedThumbnail{
			URL: "https://example.com/d.png", ProxyURL: "https://media.discordapp.net/external/z/d.png"}},
			"https://media.discordapp.net/external/z/d.png"},
		{"only an outside URL", &discordgo.MessageEmbed{Image: &discordgo.MessageEmbedImage{URL: "https://example.com/e.png"}}, ""},
		{"look-alike host", &discordgo.MessageEmbed{Image: &discordgo.MessageEmbedImage{
			ProxyURL: "https://media.discordapp.net.evil.test/f.png"}}, ""},
		{"plain http", &discordgo.MessageEmbed{Image: &discordgo.MessageEmbedImage{
			ProxyURL: "http://media.discordapp.net/g.png"}}, ""},
		{"thumbnail of a link preview", &discordgo.MessageEmbed{Type: discordgo.EmbedTypeLink, Thumbnail: &discordgo.MessageEmbedThumbnail{
			ProxyURL: "https://media.discordapp.net/external/h.png"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := embedImages([]*discordgo.MessageEmbed{tt.embed})
			switch {
			case tt.want == "" && len(got) != 0:
				t.Errorf("took %s, want nothing", got[0].URL)
			case tt.want != "" && (len(got) != 1 || got[0].URL != tt.want || imageType(got[0]) == ""):
				t.Errorf("got %+v, want the image at %s", got, tt.want)
			}
		})
	}
}
