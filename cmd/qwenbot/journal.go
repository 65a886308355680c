package main

import (
	"context"
	"fmt"
	"time"

	"github.com/qwenbot/qwenbot/bots/telegram"
	"github.com/qwenbot/qwenbot/memory"
)

// tgJournal adapts memory.Journal to telegram.Journal.
type tgJournal struct{ j *memory.Journal }

var _ telegram.Journal = tgJournal{}

// Record implements telegram.Journal.
func (t tgJournal) Record(ctx context.Context, id string, data []byte) (bool, error) {
	return t.j.Record(ctx, memory.JournalEntry{ID: id, Data: data})
}

// Renew implements telegram.Journal.
func (t tgJournal) Renew(ctx context.Context, ids ...string) error { return t.j.Renew(ctx, ids...) }

// Done implements telegram.Journal.
func (t tgJournal) Done(ctx context.Context, ids ...string) error { return t.j.Done(ctx, ids...) }

// Claim implements telegram.Journal.
func (t tgJournal) Claim(ctx context.Context, max int) ([]string, [][]byte, error) {
	es, err := t.j.Claim(ctx, max)
	ids, data := make([]string, len(es)), make([][]byte, len(es))
	for i, e := range es {
		ids[i], data[i] = e.ID, e.Data
	}
	return ids, data, err
}

// journalTelegram makes bot journal its updates in store, when store is
// Redis (the embedded store dies with the process: nothing to take over).
func journalTelegram(bot *telegram.Bot, store chatStore, lease time.Duration) error {
	st, ok := store.(*memory.Store)
	if !ok {
		return nil
	}
	j, err := st.Journal("tg:"+bot.Username(), lease)
	if err != nil {
		return fmt.Errorf("telegram journal: %w", err)
	}
	bot.UseJournal(tgJournal{j}, lease)
	return nil
}
