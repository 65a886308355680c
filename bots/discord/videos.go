package discord

import (
	"context"
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/qwenbot/qwenbot/bots"
)

// clipExts are the file extensions taken for clips when Discord did not
// say the attachment's content type.
var clipExts = map[string]string{
	".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm",
	".mkv": "video/x-matroska", ".gif": "image/gif",
}

// clipType returns the MIME type of a clip attachment (video/* or a GIF),
// or "" when a is not one.
func clipType(a *discordgo.MessageAttachment) string {
	return attachmentType(a, clipExts, func(t string) bool { return strings.HasPrefix(t, "video/") || t == "image/gif" })
}

// fetchMedia downloads the images and the clips of atts (see fetchImages
// and fetchClips), with the notes of both.
func (b *Bot) fetchMedia(ctx context.Context, atts []*discordgo.MessageAttachment) (images, clips []bots.Upload, notes []string) {
	var imgs, vids []*discordgo.MessageAttachment
	for _, a := range atts {
		if clipType(a) != "" {
			vids = append(vids, a)
		} else {
			imgs = append(imgs, a)
		}
	}
	images, notes = b.fetchImages(ctx, imgs)
	clips, more := b.fetchClips(ctx, vids)
	return images, clips, append(notes, more...)
}

// fetchClips downloads up to MaxVideos clips, each at most MaxVideoBytes,
// one at a time, within downloadsTimeout, with a note for each left out.
func (b *Bot) fetchClips(ctx context.Context, atts []*discordgo.MessageAttachment) ([]bots.Upload, []string) {
	if len(atts) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, b.downloadsTimeout)
	defer cancel()
	var ups []bots.Upload
	var notes []string
	if len(atts) > b.cfg.MaxVideos {
		notes = append(notes, b.notices.FirstVideos(b.cfg.MaxVideos))
		atts = atts[:b.cfg.MaxVideos]
	}
	for _, a := range atts {
		if int64(a.Size) > b.cfg.MaxVideoBytes {
			notes = append(notes, b.notices.SkippedImage(a.Filename, b.cfg.MaxVideoBytes))
			continue
		}
		data, err := b.downloadUpTo(ctx, a.URL, b.cfg.MaxVideoBytes)
		var big errImageTooLarge
		switch {
		case errors.As(err, &big):
			notes = append(notes, b.notices.SkippedImage(a.Filename, big.max))
		case err != nil:
			b.log.WarnContext(ctx, "download attachment", "attachment", a.ID, "err", err)
			notes = append(notes, b.notices.NotDownloaded(a.Filename))
		default:
			ups = append(ups, bots.Upload{Data: data, MIME: clipType(a)})
		}
	}
	return ups, notes
}
