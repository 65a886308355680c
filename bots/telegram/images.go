package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
)

// fileRef is an image file a message carries.
type fileRef struct {
	FileID string
	// Size is the declared size in bytes, or 0 when unknown.
	Size int64
	MIME string
}

// errImageTooLarge is returned for an image over Config.MaxImageBytes.
var errImageTooLarge = errors.New("image too large")

// imageOf returns the image m carries: the photo size pickPhoto chooses
// for maxPixels, or a document with an image/* MIME type.
func imageOf(m *rawMessage, maxPixels int) (fileRef, bool) {
	if len(m.Photo) > 0 {
		best := pickPhoto(m.Photo, maxPixels)
		return fileRef{FileID: best.FileID, Size: int64(best.FileSize), MIME: "image/jpeg"}, true
	}
	if d := m.Document; d != nil && strings.HasPrefix(strings.ToLower(d.MimeType), "image/") && !isVideoMIME(d.MimeType) {
		return fileRef{FileID: d.FileID, Size: int64(d.FileSize), MIME: d.MimeType}, true
	}
	return fileRef{}, false
}

// pickPhoto returns the smallest of a photo's sizes with at least
// maxPixels pixels, which the model sees as well as any larger one at a
// fraction of the download and decoding; the largest when none is that
// large, or when maxPixels is 0.
func pickPhoto(sizes []tgbotapi.PhotoSize, maxPixels int) tgbotapi.PhotoSize {
	largest, fit := sizes[0], -1
	for i, p := range sizes {
		px := p.Width * p.Height
		if px > largest.Width*largest.Height {
			largest = p
		}
		if maxPixels > 0 && px >= maxPixels && (fit < 0 || px < sizes[fit].Width*sizes[fit].Height) {
			fit = i
		}
	}
	if fit < 0 {
		return largest
	}
	return sizes[fit]
}

// hasImage reports whether m carries an image.
func hasImage(m *rawMessage) bool {
	_, ok := imageOf(m, 0)
	return ok
}

// imagesOf returns the images of a turn's messages, then the image of the
// message the trigger replies to (a photo someone posted earlier), photos
// at the size chosen for maxPixels.
func imagesOf(msgs []*rawMessage, trigger *rawMessage, maxPixels int) []fileRef {
	var out []fileRef
	for _, m := range msgs {
		if f, ok := imageOf(m, maxPixels); ok {
			out = append(out, f)
		}
	}
	if trigger.isRealReply() {
		if f, ok := imageOf(trigger.ReplyToMessage, maxPixels); ok {
			out = append(out, f)
		}
	}
	return out
}

// download fetches an image through getFile and the file URL, refusing it
// before the download when its declared size is over the limit, and while
// reading otherwise.
func (b *Bot) download(ctx context.Context, f fileRef) (bots.Upload, error) {
	limit := b.cfg.MaxImageBytes
	if f.Size > limit {
		return bots.Upload{}, errImageTooLarge
	}
	var file tgbotapi.File
	if err := b.call(ctx, "getFile", tgbotapi.Params{"file_id": f.FileID}, &file); err != nil {
		return bots.Upload{}, fmt.Errorf("get file: %w", err)
	}
	if int64(file.FileSize) > limit {
		return bots.Upload{}, errImageTooLarge
	}
	data, err := b.fetch(ctx, file.FilePath, limit)
	if err != nil {
		return bots.Upload{}, err
	}
	return bots.Upload{Data: data, MIME: f.MIME}, nil
}

// fetch downloads a file_path, reading at most limit bytes.
func (b *Bot) fetch(ctx context.Context, path string, limit int64) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.RequestTimeout)
	defer cancel()
	u := b.cfg.APIURL + "/file/bot" + b.api.Token + "/" + strings.TrimPrefix(path, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("download file: %w", scrub(err, b.api.Token))
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download file: %w", scrub(err, b.api.Token))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download file: status %s", resp.Status)
	}
	data, ok, err := bots.ReadUpload(resp.Body, resp.ContentLength, limit)
	if err != nil {
		return nil, fmt.Errorf("download file: %w", scrub(err, b.api.Token))
	}
	if !ok {
		return nil, errImageTooLarge
	}
	return data, nil
}
