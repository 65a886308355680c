package telegram

import (
	"time"

	"github.com/qwenbot/qwenbot/bots/journal"
)

// An album's parts are journaled like any update, each before it is
// acknowledged, in one journal group (groupOf), and share one fate once
// gathered: one entry holding all their ids (albumEntry), renewed while
// the album's turn runs and ended when it ends. A process that dies
// leaves the parts' records, which a replica claims and gathers again
// into one album. bots/journal keeps a group's leases expiring together
// and claims a group whole across claim batches; the bot gathers claimed
// parts for a sweep interval longer than live ones (albumWait), so that
// a part whose lease expired a moment later (its process died between
// recording it and aligning the album) still joins its album.

// groupOf returns the album (albumKey) u belongs to, or "".
func groupOf(u rawUpdate) string {
	if u.Message == nil || u.Message.MediaGroupID == "" || u.Message.Chat == nil {
		return ""
	}
	return albumKey(u.Message)
}

// albumWait is the quiet period an album part with entry en waits for the
// next: a claimed part's album also waits for the next claim sweep.
func (b *Bot) albumWait(en *journal.Entry) time.Duration {
	if en.Claimed() {
		return b.cfg.AlbumWait + b.journal.SweepEvery()
	}
	return b.cfg.AlbumWait
}

// albumEntry returns one entry holding the journal records of an album's
// parts, or nil when none has one.
func albumEntry(parts []part) *journal.Entry {
	ens := make([]*journal.Entry, len(parts))
	for i, p := range parts {
		ens[i] = p.en
	}
	return journal.Merge(ens...)
}

// dropAlbum leaves the records of an album still gathering when the bot
// stopped for the next process, which gathers it again.
func (b *Bot) dropAlbum(parts []part) {
	for _, p := range parts {
		b.journal.Keep(p.en)
	}
}
