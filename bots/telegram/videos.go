package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
)

// Errors of a video over a limit, known from its declared size or
// duration or found while downloading.
var (
	errVideoTooLarge = errors.New("video too large")
	errVideoTooLong  = errors.New("video too long")
)

// videoRef is a clip a message carries.
type videoRef struct {
	fileRef
	// Duration is the declared duration, or 0 when unknown.
	Duration time.Duration
}

// videoOf returns the clip m carries: a video, a video note, an animation
// (a GIF Telegram turned into MP4), or a document with a video/* or
// image/gif MIME type.
func videoOf(m *rawMessage) (videoRef, bool) {
	secs := func(s int) time.Duration { return time.Duration(s) * time.Second }
	switch {
	case m.Video != nil:
		v := m.Video
		return videoRef{fileRef{v.FileID, int64(v.FileSize), orMIME(v.MimeType)}, secs(v.Duration)}, true
	case m.VideoNote != nil:
		v := m.VideoNote
		return videoRef{fileRef{v.FileID, int64(v.FileSize), "video/mp4"}, secs(v.Duration)}, true
	case m.Animation != nil:
		v := m.Animation
		return videoRef{fileRef{v.FileID, int64(v.FileSize), orMIME(v.MimeType)}, secs(v.Duration)}, true
	case m.Document != nil && isVideoMIME(m.Document.MimeType):
		d := m.Document
		return videoRef{fileRef: fileRef{d.FileID, int64(d.FileSize), d.MimeType}}, true
	}
	return videoRef{}, false
}

// isVideoMIME reports whether a document of this type is read as a clip.
func isVideoMIME(mime string) bool {
	mime = strings.ToLower(mime)
	return strings.HasPrefix(mime, "video/") || mime == "image/gif"
}

func orMIME(mime string) string {
	if mime == "" {
		return "video/mp4"
	}
	return mime
}

// hasVideo reports whether m carries a clip.
func hasVideo(m *rawMessage) bool {
	_, ok := videoOf(m)
	return ok
}

// videosOf returns the clips of a turn's messages, then the clip of the
// message the trigger replies to.
func videosOf(msgs []*rawMessage, trigger *rawMessage) []videoRef {
	var out []videoRef
	for _, m := range msgs {
		if v, ok := videoOf(m); ok {
			out = append(out, v)
		}
	}
	if trigger.isRealReply() {
		if v, ok := videoOf(trigger.ReplyToMessage); ok {
			out = append(out, v)
		}
	}
	return out
}

// downloadVideos checks every clip's declared size and duration, then
// downloads them, one at a time (each may be tens of megabytes), within
// downloadsTimeout.
func (b *Bot) downloadVideos(ctx context.Context, refs []videoRef) ([]bots.Upload, error) {
	for _, v := range refs {
		switch {
		case v.Size > b.cfg.MaxVideoBytes:
			return nil, errVideoTooLarge
		case v.Duration > b.cfg.MaxVideoDuration:
			return nil, errVideoTooLong
		}
	}
	ctx, cancel := context.WithTimeout(ctx, b.downloadsTimeout)
	defer cancel()
	out := make([]bots.Upload, len(refs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(1)
	for i, v := range refs {
		g.Go(func() error {
			var err error
			out[i], err = b.downloadVideo(gctx, v.fileRef)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// downloadVideo fetches a clip, refusing it over Config.MaxVideoBytes.
func (b *Bot) downloadVideo(ctx context.Context, f fileRef) (bots.Upload, error) {
	limit := b.cfg.MaxVideoBytes
	var file tgbotapi.File
	if err := b.call(ctx, "getFile", tgbotapi.Params{"file_id": f.FileID}, &file); err != nil {
		// The Bot API refuses files over its download limit (20 MB) this
		// way, whatever size was declared.
		if strings.Contains(err.Error(), "file is too big") {
			return bots.Upload{}, errVideoTooLarge
		}
		return bots.Upload{}, fmt.Errorf("get file: %w", err)
	}
	if int64(file.FileSize) > limit {
		return bots.Upload{}, errVideoTooLarge
	}
	data, err := b.fetch(ctx, file.FilePath, limit)
	if errors.Is(err, errImageTooLarge) {
		return bots.Upload{}, errVideoTooLarge
	}
	if err != nil {
		return bots.Upload{}, err
	}
	return bots.Upload{Data: data, MIME: f.MIME}, nil
}

// videoNotice returns the notice for a failed video download, or "" for
// an error that is not about a limit.
func (b *Bot) videoNotice(err error) string {
	switch {
	case errors.Is(err, errVideoTooLarge):
		return b.notices.VideoTooLarge(b.cfg.MaxVideoBytes)
	case errors.Is(err, errVideoTooLong):
		return b.notices.VideoTooLong(b.cfg.MaxVideoDuration)
	}
	return ""
}

// askVideos downloads a question's clips (the first MaxVideos), telling
// the user when one is over a limit or fails to download; ok is false
// then, and the question is dropped.
func (b *Bot) askVideos(ctx context.Context, c chatRef, trigger *rawMessage, refs []videoRef) (_ []bots.Upload, ok bool) {
	if len(refs) == 0 {
		return nil, true
	}
	if len(refs) > b.cfg.MaxVideos {
		b.notice(ctx, c, trigger, b.notices.FirstVideos(b.cfg.MaxVideos))
		refs = refs[:b.cfg.MaxVideos]
	}
	ups, err := b.downloadVideos(ctx, refs)
	switch {
	case ctx.Err() != nil:
		return nil, false
	case err != nil:
		text := b.videoNotice(err)
		if text == "" {
			b.log.WarnContext(ctx, "video download failed", "chat", c.Key(), "err", err)
			text = b.notices.VideoDownloadFailed()
		}
		b.notice(ctx, c, trigger, text)
		return nil, false
	}
	return ups, true
}
