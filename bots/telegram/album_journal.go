package telegram

import (
	"context"
	"time"
)

// An album's parts are journaled like any update, each before it is
// acknowledged, and share one fate once gathered: one entry holding all
// their ids (albumEntry), renewed while the album's turn runs and ended
// when it ends. A process that dies leaves the parts' records, which a
// replica claims and gathers again into one album. Three things keep the
// claimed parts together:
//
//   - their leases expire at once: recording a part renews the album's
//     earlier parts with it (alignAlbum), and the periodic renewal renews
//     them all with one expiry, so one sweep claims them all;
//   - a full claim batch holding a part is followed at once by another
//     (claim), so a batch's size does not cut an album;
//   - claimed parts are gathered for a sweep interval longer than live
//     ones (albumWait), so a part whose lease expired a moment later (its
//     process died between recording it and aligning the album) still
//     joins its album.

// groupOf returns the album (albumKey) u belongs to, or "".
func groupOf(u rawUpdate) string {
	if u.Message == nil || u.Message.MediaGroupID == "" || u.Message.Chat == nil {
		return ""
	}
	return albumKey(u.Message)
}

// alignAlbum renews the leases of the journaled parts of u's album, u's
// own just recorded among them, so they all expire at once.
func (b *Bot) alignAlbum(ctx context.Context, u rawUpdate) {
	group := groupOf(u)
	if group == "" {
		return
	}
	var ids []string
	b.jmu.Lock()
	for id, g := range b.live {
		if g == group {
			ids = append(ids, id)
		}
	}
	b.jmu.Unlock()
	if len(ids) < 2 {
		return
	}
	if err := b.journal.Renew(ctx, ids...); err != nil {
		b.log.WarnContext(ctx, "align the journal leases of an album", "err", err)
	}
}

// albumWait is the quiet period an album part with entry en waits for the
// next: a claimed part's album also waits for the next claim sweep.
func (b *Bot) albumWait(en *entry) time.Duration {
	if en != nil && en.claimed {
		return b.cfg.AlbumWait + b.sweepEvery()
	}
	return b.cfg.AlbumWait
}

// albumEntry returns one entry holding the journal records of an album's
// parts, or nil when none has one.
func albumEntry(parts []part) *entry {
	var en *entry
	for _, p := range parts {
		if p.en == nil {
			continue
		}
		if en == nil {
			en = &entry{}
		}
		en.ids = append(en.ids, p.en.ids...)
		en.claimed = en.claimed || p.en.claimed
	}
	return en
}

// dropAlbum leaves the records of an album still gathering when the bot
// stopped for the next process, which gathers it again.
func (b *Bot) dropAlbum(parts []part) {
	for _, p := range parts {
		b.keepEntry(p.en)
	}
}
