package telegram

import (
	"context"
	"errors"

	"github.com/qwenbot/qwenbot/bots"
)

// ask downloads the images of a question and submits it to the engine.
// A question with neither text nor image shows the help.
func (b *Bot) ask(ctx context.Context, c chatRef, msgs []*rawMessage, trigger *rawMessage, s bots.Sender, prompt string) {
	refs := imagesOf(msgs, trigger)
	if prompt == "" && len(refs) == 0 {
		b.command(ctx, c, trigger, s, bots.CmdHelp, "")
		return
	}
	if prompt == "" {
		prompt = b.cfg.PhotoPrompt // "" lets the engine use its own
	}
	if len(refs) > b.cfg.MaxImages {
		b.notice(ctx, c, trigger, b.notices.FirstImages(b.cfg.MaxImages))
		refs = refs[:b.cfg.MaxImages]
	}
	uploads, err := b.downloadAll(ctx, refs)
	switch {
	case ctx.Err() != nil:
		return
	case errors.Is(err, errImageTooLarge):
		b.notice(ctx, c, trigger, b.notices.ImageTooLarge(b.cfg.MaxImageBytes))
		return
	case err != nil:
		b.log.WarnContext(ctx, "image download failed", "chat", c.Key(), "err", err)
		b.notice(ctx, c, trigger, b.notices.DownloadFailed())
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
		Surface: b.surface(c),
		ReplyTo: messageRef(trigger.MessageID),
	}
	t.Ended, t.Resumable = b.handOff(ctx), resumable(ctx)
	err = b.eng.Submit(ctx, t)
	b.submitted(ctx, err)
	if err != nil && !errors.Is(err, bots.ErrShuttingDown) && ctx.Err() == nil {
		b.log.WarnContext(ctx, "submit turn failed", "chat", t.Chat, "err", err)
	}
}

// downloadAll downloads the images in order, after checking every declared
// size, all within downloadsTimeout.
func (b *Bot) downloadAll(ctx context.Context, refs []fileRef) ([]bots.Upload, error) {
	for _, f := range refs {
		if f.Size > b.cfg.MaxImageBytes {
			return nil, errImageTooLarge
		}
	}
	ctx, cancel := context.WithTimeout(ctx, b.downloadsTimeout)
	defer cancel()
	var out []bots.Upload
	for _, f := range refs {
		u, err := b.download(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}
