package main

import (
	"context"
	"strconv"
)

// addBurstGroup makes the group of a burst: one supergroup with users
// askers, each a user of its own.
func (w *world) addBurstGroup(b *tgBot, users int) *simChat {
	c := &simChat{id: -groupBase, group: true, bot: b}
	for i := range users {
		c.askers = append(c.askers, tgUser{ID: int64(privateBase + i), FirstName: "Student " + strconv.Itoa(i+1),
			Username: "student" + strconv.Itoa(i)})
	}
	c.user = c.askers[0]
	b.addChat(c.id, false)
	w.chats[c.id] = c
	return c
}

// driveBurst runs the group burst: every asker of the group sends one
// question addressed to the bot, all in one batch of updates, and the
// run ends once every final answer is on screen, or Drain has passed.
// Asker i's question is turn i (from 1).
func (w *world) driveBurst(ctx context.Context) worldResult {
	ctx, cancel := context.WithTimeout(ctx, w.opts.Drain)
	defer cancel()
	start := w.now()
	c := w.list[0]
	ms := make([]tgMessage, 0, len(c.askers))
	for i := range c.askers {
		m := w.textMessage(c, i+1)
		m.From = &c.askers[i]
		c.track(newTurn(c, i+1, w.opts.AnswerTokens), m.MessageID)
		ms = append(ms, m)
	}
	sent := w.now()
	for _, t := range c.turns {
		t.markSent(sent)
	}
	if c.bot.push(ms...) == nil {
		for _, t := range c.turns {
			select {
			case <-t.done:
			case <-ctx.Done():
			}
		}
	}
	return w.collect(w.now().Sub(start))
}
