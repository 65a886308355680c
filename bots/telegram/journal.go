package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/qwenbot/qwenbot/bots/journal"
)

// Journal records the updates the bot accepted until they are handled, in
// Redis with a lease per entry (cmd adapts memory.Journal): an update is
// recorded before it is acknowledged (the webhook's 200, the next poll's
// offset), ended when its turn ends, and one whose process died is
// claimed, once its lease expired, by any replica to handle again. The
// tracking is bots/journal's; the bot records each update as Telegram
// sent it.
type Journal = journal.Store

// UseJournal makes the bot record the updates it accepts in j, leased for
// lease, and take over those of processes that died. Call it before Run.
func (b *Bot) UseJournal(j Journal, lease time.Duration) {
	b.journal = journal.New(j, lease, b.cfg.Clock, b.log)
}

// record records u before it is acknowledged and returns its entry; nil
// when the bot keeps no journal, when the journal fails (the update is
// then handled unrecorded), or when the update was recorded already (ok
// false: another process holds it, or it waits to be claimed). An album
// part is recorded in its album's group (see album_journal.go).
func (b *Bot) record(ctx context.Context, u rawUpdate) (en *journal.Entry, ok bool) {
	if b.journal == nil {
		return nil, true
	}
	raw, err := json.Marshal(u)
	if err != nil {
		return nil, true
	}
	return b.journal.Record(ctx, strconv.Itoa(u.UpdateID), groupOf(u), raw)
}

// dispatch routes u, carrying en, and ends en if no job took it (an
// update the bot ignores).
func (b *Bot) dispatch(ctx context.Context, u rawUpdate, en *journal.Entry) {
	b.onUpdate(journal.WithEntry(ctx, en), u)
	b.journal.EndIfOpen(en)
}

// takeOver handles again the update of a process that died, recorded as
// data, with entry en; an album part joins its album's group first.
func (b *Bot) takeOver(ctx context.Context, en *journal.Entry, data []byte) {
	var u rawUpdate
	if err := json.Unmarshal(data, &u); err != nil {
		b.log.WarnContext(ctx, "drop an unreadable journaled update", "id", en.ID(), "err", err)
		b.journal.End(en)
		return
	}
	b.journal.Join(en, groupOf(u))
	b.log.InfoContext(ctx, "taking over an update of a process that stopped", "update_id", u.UpdateID)
	b.dispatch(ctx, u, en)
}
