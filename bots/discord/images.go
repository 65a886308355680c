package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
)

// imageExts are the file extensions taken for images when Discord did not
// say the attachment's content type.
var imageExts = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".webp": "image/webp", ".gif": "image/gif", ".bmp": "image/bmp",
}

// imageType returns the MIME type of an image attachment, or "" when a is
// not an image.
func imageType(a *discordgo.MessageAttachment) string {
	if a == nil {
		return ""
	}
	if a.ContentType != "" {
		t, _, err := mime.ParseMediaType(a.ContentType)
		if err == nil && strings.HasPrefix(t, "image/") {
			return t
		}
		return ""
	}
	return imageExts[strings.ToLower(path.Ext(a.Filename))]
}

// images keeps the image attachments of atts, in order.
func images(atts []*discordgo.MessageAttachment) []*discordgo.MessageAttachment {
	var out []*discordgo.MessageAttachment
	for _, a := range atts {
		if imageType(a) != "" {
			out = append(out, a)
		}
	}
	return out
}

// fetchImages downloads up to MaxImages of atts, each at most MaxImageBytes,
// with the injected HTTP client (Discord's CDN URLs expire, so the turn
// carries our copy), all within downloadsTimeout. It returns the images it
// got and, for each one it left out, a note for the user.
func (b *Bot) fetchImages(ctx context.Context, atts []*discordgo.MessageAttachment) ([]bots.Upload, []string) {
	if len(atts) == 0 {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, b.downloadsTimeout)
	defer cancel()
	var ups []bots.Upload
	var notes []string
	if len(atts) > b.cfg.MaxImages {
		notes = append(notes, b.notices.FirstImages(b.cfg.MaxImages))
		atts = atts[:b.cfg.MaxImages]
	}
	for _, a := range atts {
		if int64(a.Size) > b.cfg.MaxImageBytes {
			notes = append(notes, b.notices.SkippedImage(a.Filename, b.cfg.MaxImageBytes))
			continue
		}
		data, err := b.download(ctx, a.URL)
		var big errImageTooLarge
		switch {
		case errors.As(err, &big):
			notes = append(notes, b.notices.SkippedImage(a.Filename, big.max))
			continue
		case err != nil:
			b.log.WarnContext(ctx, "download attachment", "attachment", a.ID, "err", err)
			notes = append(notes, b.notices.NotDownloaded(a.Filename))
			continue
		}
		ups = append(ups, bots.Upload{Data: data, MIME: imageType(a)})
	}
	return ups, notes
}

// errImageTooLarge is returned by download for a body over MaxImageBytes.
type errImageTooLarge struct{ max int64 }

// Error implements error.
func (e errImageTooLarge) Error() string {
	return fmt.Sprintf("image is larger than %d bytes", e.max)
}

// downloadTimeout bounds fetching one attachment from the CDN.
const downloadTimeout = 30 * time.Second

// download fetches one attachment, refusing more than MaxImageBytes.
func (b *Bot) download(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("build download request: %w", err)
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download image: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download image: HTTP %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, b.cfg.MaxImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	if int64(len(data)) > b.cfg.MaxImageBytes {
		return nil, errImageTooLarge{b.cfg.MaxImageBytes}
	}
	return data, nil
}
