package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/qwenbot/qwenbot/bots/discord"
	"github.com/qwenbot/qwenbot/bots/telegram"
	"github.com/qwenbot/qwenbot/memory"
)

// journal adapts memory.Journal to the adapters' Journal (both are
// bots/journal's Store).
type journal struct{ j *memory.Journal }

var (
	_ telegram.Journal = journal{}
	_ discord.Journal  = journal{}
)

// Record implements the adapters' Journal.
func (jn journal) Record(ctx context.Context, id string, data []byte) (bool, error) {
	return jn.j.Record(ctx, memory.JournalEntry{ID: id, Data: data})
}

// Renew implements the adapters' Journal.
func (jn journal) Renew(ctx context.Context, ids ...string) error { return jn.j.Renew(ctx, ids...) }

// Done implements the adapters' Journal.
func (jn journal) Done(ctx context.Context, ids ...string) error { return jn.j.Done(ctx, ids...) }

// Claim implements the adapters' Journal.
func (jn journal) Claim(ctx context.Context, max int) ([]string, [][]byte, error) {
	es, err := jn.j.Claim(ctx, max)
	ids, data := make([]string, len(es)), make([][]byte, len(es))
	for i, e := range es {
		ids[i], data[i] = e.ID, e.Data
	}
	return ids, data, err
}

// openJournal returns the journal called name in store, when store is
// Redis; nil for the embedded store, which dies with the process: nothing
// to take over.
func openJournal(store chatStore, name string, lease time.Duration) (*memory.Journal, error) {
	st, ok := store.(*memory.Store)
	if !ok {
		return nil, nil
	}
	return st.Journal(name, lease)
}

// journalTelegram makes bot journal its updates in store, when store is
// Redis.
func journalTelegram(bot *telegram.Bot, store chatStore, lease time.Duration) error {
	j, err := openJournal(store, "tg:"+bot.Username(), lease)
	if err != nil {
		return fmt.Errorf("telegram journal: %w", err)
	}
	if j != nil {
		bot.UseJournal(journal{j}, lease)
	}
	return nil
}

// journalDiscord makes bot journal its interactions and messages in
// store, when store is Redis. The journal is named after the application
// id when configured, else after a digest of the bot's token (the id is
// asked of Discord only when the bot runs): bots sharing a Redis prefix
// keep apart, and no key shows the token.
func journalDiscord(bot *discord.Bot, appID, token string, store chatStore, lease time.Duration) error {
	name := appID
	if name == "" {
		sum := sha256.Sum256([]byte(token))
		name = "t" + hex.EncodeToString(sum[:8])
	}
	j, err := openJournal(store, "dc:"+name, lease)
	if err != nil {
		return fmt.Errorf("discord journal: %w", err)
	}
	if j != nil {
		bot.UseJournal(journal{j}, lease)
	}
	return nil
}
