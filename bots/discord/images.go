package discord

import (
	"context"
	"errors"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"golang.org/x/sync/errgroup"

	"github.com/qwenbot/qwenbot/bots"
)

// imageExts are the file extensions taken for images when Discord did not
// say the attachment's content type.
var imageExts = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".webp": "image/webp", ".bmp": "image/bmp",
}

// imageType returns the MIME type of an image attachment, or "" when a is
// not an image.
func imageType(a *discordgo.MessageAttachment) string {
	return attachmentType(a, imageExts, func(t string) bool { return strings.HasPrefix(t, "image/") && t != "image/gif" })
}

// attachmentType returns a's MIME type when accept takes it: the content
// type Discord declared, else the type exts gives its file extension; ""
// for anything else.
func attachmentType(a *discordgo.MessageAttachment, exts map[string]string, accept func(string) bool) string {
	if a == nil {
		return ""
	}
	if a.ContentType != "" {
		t, _, err := mime.ParseMediaType(a.ContentType)
		if err == nil && accept(t) {
			return t
		}
		return ""
	}
	return exts[strings.ToLower(path.Ext(a.Filename))]
}

// images keeps the image and clip attachments of atts, in order (GIFs
// are clips: see clipType).
func images(atts []*discordgo.MessageAttachment) []*discordgo.MessageAttachment {
	var out []*discordgo.MessageAttachment
	for _, a := range atts {
		if imageType(a) != "" || clipType(a) != "" {
			out = append(out, a)
		}
	}
	return out
}

// parallelDownloads bounds the attachments of one turn downloading at
// once.
const parallelDownloads = 3

// fetchImages downloads up to MaxImages of atts, each at most MaxImageBytes,
// with the injected HTTP client (Discord's CDN URLs expire, so the turn
// carries our copy), parallelDownloads at a time, all within
// downloadsTimeout. It returns the images it got and, for each one it left
// out, a note for the user, both in the order of atts.
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
	got := make([]fetched, len(atts))
	var g errgroup.Group
	g.SetLimit(parallelDownloads)
	for i, a := range atts {
		g.Go(func() error {
			got[i] = b.fetchImage(ctx, a)
			return nil
		})
	}
	_ = g.Wait() // fetchImage reports failures as notes
	for _, f := range got {
		if f.note != "" {
			notes = append(notes, f.note)
			continue
		}
		ups = append(ups, f.up)
	}
	return ups, notes
}

// fetched is one attachment's download: the image, or a note for the user
// saying why it was left out.
type fetched struct {
	up   bots.Upload
	note string
}

// fetchImage downloads one image attachment: through the media proxy at
// the size the model needs when the original is larger (see proxySized),
// falling back to the original when the proxy fails, else the original.
func (b *Bot) fetchImage(ctx context.Context, a *discordgo.MessageAttachment) fetched {
	if u, ok := proxySized(a, b.cfg.MaxPixels); ok {
		data, err := b.download(ctx, u)
		if err == nil {
			return fetched{up: bots.Upload{Data: data, MIME: imageType(a)}}
		}
		if ctx.Err() != nil {
			b.log.WarnContext(ctx, "download attachment", "attachment", a.ID, "err", err)
			return fetched{note: b.notices.NotDownloaded(a.Filename)}
		}
		b.log.DebugContext(ctx, "resized attachment failed; fetching the original", "attachment", a.ID, "err", err)
	}
	if int64(a.Size) > b.cfg.MaxImageBytes {
		return fetched{note: b.notices.SkippedImage(a.Filename, b.cfg.MaxImageBytes)}
	}
	data, err := b.download(ctx, a.URL)
	var big errImageTooLarge
	switch {
	case errors.As(err, &big):
		return fetched{note: b.notices.SkippedImage(a.Filename, big.max)}
	case err != nil:
		b.log.WarnContext(ctx, "download attachment", "attachment", a.ID, "err", err)
		return fetched{note: b.notices.NotDownloaded(a.Filename)}
	}
	return fetched{up: bots.Upload{Data: data, MIME: imageType(a)}}
}

// proxySized returns the URL of a through Discord's media proxy
// (proxy_url) resized to the smallest size, in a's proportions, with at
// least maxPixels pixels: the model sees it as well as the original at a
// fraction of the download and decoding, as with Telegram's photo sizes.
// The proxy takes width and height query parameters: Discord's reference
// does not document them, but client libraries use them (JDA's
// AttachmentProxy: best effort, and a size off the image's proportions
// is cropped, so both are scaled alike); a proxy that ignores them sends
// the original, which the byte limit still bounds. It
// reports false, for the original, when maxPixels is 0, when Discord gave
// no proxy URL or dimensions, or when the original is not larger.
func proxySized(a *discordgo.MessageAttachment, maxPixels int) (string, bool) {
	px := a.Width * a.Height
	if maxPixels <= 0 || a.ProxyURL == "" || a.Width <= 0 || a.Height <= 0 || px <= maxPixels {
		return "", false
	}
	u, err := url.Parse(a.ProxyURL)
	if err != nil {
		return "", false
	}
	scale := math.Sqrt(float64(maxPixels) / float64(px))
	w, h := int(math.Ceil(float64(a.Width)*scale)), int(math.Ceil(float64(a.Height)*scale))
	q := u.Query()
	q.Set("width", strconv.Itoa(w))
	q.Set("height", strconv.Itoa(h))
	u.RawQuery = q.Encode()
	return u.String(), true
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
	return b.downloadUpTo(ctx, url, b.cfg.MaxImageBytes)
}

// downloadUpTo fetches one attachment, refusing more than limit bytes
// with an errImageTooLarge.
func (b *Bot) downloadUpTo(ctx context.Context, url string, limit int64) ([]byte, error) {
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
	data, ok, err := bots.ReadUpload(resp.Body, resp.ContentLength, limit)
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	if !ok {
		return nil, errImageTooLarge{limit}
	}
	return data, nil
}
