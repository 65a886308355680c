package telegram

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/journal"
)

// ask downloads the images of a question and submits it to the engine.
// A question with neither text nor image shows the help.
func (b *Bot) ask(ctx context.Context, c chatRef, msgs []*rawMessage, trigger *rawMessage, s bots.Sender, prompt string) {
	refs := imagesOf(msgs, trigger, b.cfg.MaxPixels)
	vrefs := videosOf(msgs, trigger)
	if prompt == "" && len(refs) == 0 && len(vrefs) == 0 {
		b.command(ctx, c, trigger, s, bots.CmdHelp, "")
		return
	}
	if prompt == "" && len(refs) > 0 {
		prompt = b.cfg.PhotoPrompt // "" lets the engine use its own
	}
	if len(refs) > b.cfg.MaxImages {
		b.notice(ctx, c, trigger, b.noticesFor(trigger.From).FirstImages(b.cfg.MaxImages))
		refs = refs[:b.cfg.MaxImages]
	}
	videos, ok := b.askVideos(ctx, c, trigger, vrefs)
	if !ok {
		return
	}
	uploads, err := b.downloadAll(ctx, refs)
	switch {
	case ctx.Err() != nil:
		return
	case errors.Is(err, errImageTooLarge):
		b.notice(ctx, c, trigger, b.noticesFor(trigger.From).ImageTooLarge(b.cfg.MaxImageBytes))
		return
	case err != nil:
		b.log.WarnContext(ctx, "image download failed", "chat", c.Key(), "err", err)
		b.notice(ctx, c, trigger, b.noticesFor(trigger.From).DownloadFailed())
		return
	}
	t := bots.Turn{
		Chat:    c.Key(),
		PaceKey: c.PaceKey(),
		User:    userKey(trigger.From.ID),
		Sender:  s,
		Group:   c.Group(),
		Text:    prompt,
		Images:  uploads,
		Videos:  videos,
		Surface: b.surface(c),
		ReplyTo: messageRef(trigger.MessageID),
		Lang:    trigger.From.LanguageCode,
	}
	t.Ended, t.Resumable = b.journal.HandOff(ctx), journal.Resumable(ctx)
	err = b.eng.Submit(ctx, t)
	b.journal.Submitted(ctx, err)
	if err != nil && !errors.Is(err, bots.ErrShuttingDown) && ctx.Err() == nil {
		b.log.WarnContext(ctx, "submit turn failed", "chat", t.Chat, "err", err)
	}
}

// parallelDownloads bounds the images of one turn downloading at once.
const parallelDownloads = 3

// downloadAll downloads the images, at most parallelDownloads at once,
// after checking every declared size, all within downloadsTimeout. The
// uploads keep the order of refs; the first failure cancels the rest.
func (b *Bot) downloadAll(ctx context.Context, refs []fileRef) ([]bots.Upload, error) {
	for _, f := range refs {
		if f.Size > b.cfg.MaxImageBytes {
			return nil, errImageTooLarge
		}
	}
	ctx, cancel := context.WithTimeout(ctx, b.downloadsTimeout)
	defer cancel()
	out := make([]bots.Upload, len(refs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelDownloads)
	for i, f := range refs {
		g.Go(func() error {
			var err error
			out[i], err = b.download(gctx, f)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
