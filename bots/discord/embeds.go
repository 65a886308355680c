package discord

import (
	"net/url"
	"path"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// messageImages returns the images of m: its image attachments, then the
// images of its embeds served by Discord.
func messageImages(m *discordgo.Message) []*discordgo.MessageAttachment {
	if m == nil {
		return nil
	}
	return append(images(m.Attachments), embedImages(m.Embeds)...)
}

// embedImages returns the pictures of embeds (an embed's image, or the
// thumbnail of an image embed: a posted link to a picture) as attachments
// to download. Only Discord's own copies are taken (the media proxy or
// the CDN): an embed's original URL may point anywhere, and the adapter
// must not fetch arbitrary hosts on a user's behalf.
func embedImages(embeds []*discordgo.MessageEmbed) []*discordgo.MessageAttachment {
	var out []*discordgo.MessageAttachment
	for _, e := range embeds {
		if e == nil {
			continue
		}
		var u string
		switch {
		case e.Image != nil:
			u = discordURL(e.Image.ProxyURL, e.Image.URL)
		case e.Type == discordgo.EmbedTypeImage && e.Thumbnail != nil:
			u = discordURL(e.Thumbnail.ProxyURL, e.Thumbnail.URL)
		}
		if u == "" {
			continue
		}
		out = append(out, embedAttachment(u))
	}
	return out
}

// discordURL returns the first of urls on one of Discord's media hosts,
// or "".
func discordURL(urls ...string) string {
	for _, s := range urls {
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "https" {
			continue
		}
		h := u.Hostname()
		if h == "cdn.discordapp.com" || h == "media.discordapp.net" || strings.HasSuffix(h, ".discordapp.net") {
			return s
		}
	}
	return ""
}

// embedAttachment describes an embed's picture at u as an attachment; its
// type is guessed from the name (the image is decoded by content anyway).
func embedAttachment(u string) *discordgo.MessageAttachment {
	name := "embed.png"
	if p, err := url.Parse(u); err == nil && path.Base(p.Path) != "" && path.Base(p.Path) != "/" {
		name = path.Base(p.Path)
	}
	a := &discordgo.MessageAttachment{ID: "embed", URL: u, Filename: name}
	if imageType(a) == "" {
		a.ContentType = "image/png"
	}
	return a
}
