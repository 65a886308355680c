package telegram

import (
	"context"
	"errors"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/journal"
)

// onUpdate routes one update. It does not block on the network: the work
// is queued per chat (in arrival order), albums are gathered first, and
// /stop and the Stop button jump their chat's queue.
func (b *Bot) onUpdate(ctx context.Context, u rawUpdate) {
	switch {
	case u.Message != nil:
		b.onMessage(ctx, u.Message)
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		key := "cb"
		if q.Message != nil {
			key = "cb:" + chatOf(q.Message).Key()
		}
		b.enqueue(ctx, key, func(ctx context.Context) { b.onCallback(ctx, q) })
	}
}

// onMessage classifies a message and queues what it asks for.
func (b *Bot) onMessage(ctx context.Context, m *rawMessage) {
	if m.From == nil || m.From.IsBot || m.Chat == nil {
		return
	}
	if m.MediaGroupID != "" {
		en := journal.EntryOf(ctx)
		en.Queue() // ended with its album
		b.albums.Add(ctx, part{msg: m, en: en}, b.albumWait(en))
		return
	}
	c := chatOf(m)
	in := b.id.classify(m, c.Private)
	if in.none() {
		return
	}
	key := c.Key()
	if in.Cmd == bots.CmdStop {
		key = "stop:" + key
	} else {
		b.albums.FlushChat(ctx, key) // an album sent before m goes first
	}
	b.enqueue(ctx, key, func(ctx context.Context) { b.handle(ctx, []*rawMessage{m}, m, in) })
}

// onAlbum handles a gathered album. Its trigger is the member that
// addresses the bot, preferring one with text (usually the captioned one):
// in groups an album is for the bot only when a member addresses it. The
// parts' journal entries become one, ended with the album's job (at once
// when the album asks nothing).
func (b *Bot) onAlbum(ctx context.Context, parts []part) {
	en := albumEntry(parts)
	ctx = journal.WithEntry(ctx, en) // not the entry of the update that flushed it
	msgs := make([]*rawMessage, len(parts))
	for i, p := range parts {
		msgs[i] = p.msg
	}
	var trigger *rawMessage
	var in intent
	for _, m := range msgs {
		mi := b.id.classify(m, chatOf(m).Private)
		// A question beats a member the bot cannot read (a PDF beside
		// the photos); a later member only when it has the text.
		better := trigger == nil || mi.Prompt != "" || (in.Unsupported && mi.Ask)
		if mi.none() || !better {
			continue
		}
		trigger, in = m, mi
		if mi.Prompt != "" || mi.Cmd != "" {
			break
		}
	}
	if trigger == nil {
		if en != nil { // end its records in a job, not under the albums' lock
			b.enqueue(ctx, chatOf(msgs[0]).Key(), func(context.Context) {})
		}
		return
	}
	b.enqueue(ctx, chatOf(trigger).Key(), func(ctx context.Context) { b.handle(ctx, msgs, trigger, in) })
}

// enqueue queues job for key, logging a dropped job. The job runs under
// ctx, bounded by jobTimeout.
func (b *Bot) enqueue(ctx context.Context, key string, job func(ctx context.Context)) {
	run := func() {
		ctx, cancel := context.WithTimeout(ctx, jobTimeout)
		defer cancel()
		defer b.journal.Settle(ctx)
		job(ctx)
	}
	journal.EntryOf(ctx).Queue()
	if !b.queue.Go(key, run) {
		b.journal.Keep(journal.EntryOf(ctx)) // claimed again once its lease expires
		b.log.Warn("update dropped: chat queue full or shutting down", "chat", key)
	}
}

// handle answers what msgs (one message or an album, trigger the one that
// addressed the bot) ask for.
func (b *Bot) handle(ctx context.Context, msgs []*rawMessage, trigger *rawMessage, in intent) {
	if ctx.Err() != nil {
		return
	}
	c := chatOf(trigger)
	from := trigger.From
	if !b.allowed(from.ID, c.ID) {
		b.refuse(ctx, c, trigger)
		return
	}
	sender := bots.Sender{ID: strconv.FormatInt(from.ID, 10), Name: senderName(from), Admin: b.admins.Contains(from.ID)}
	switch {
	case in.Cmd != "":
		b.command(ctx, c, trigger, sender, in.Cmd, in.Args)
		return
	case in.Unsupported:
		b.unsupported(ctx, c, trigger, sender)
		return
	}
	b.ask(ctx, c, msgs, trigger, sender, in.Prompt)
}

// command hands a command to the engine.
func (b *Bot) command(ctx context.Context, c chatRef, trigger *rawMessage, s bots.Sender, name bots.CommandName, args string) {
	cmd := bots.Command{
		Name: name, Args: args,
		Chat: c.Key(), PaceKey: c.PaceKey(), User: userKey(trigger.From.ID), Sender: s,
		Surface: b.surface(c), ReplyTo: messageRef(trigger.MessageID),
		Group: c.Group(), Lang: trigger.From.LanguageCode,
	}
	if err := b.eng.Command(ctx, cmd); err != nil && ctx.Err() == nil {
		b.log.WarnContext(ctx, "command failed", "chat", cmd.Chat, "command", string(name), "err", err)
	}
}

// unsupported tells the engine about a message the bot cannot read; it
// answers once per burst and never asks the model.
func (b *Bot) unsupported(ctx context.Context, c chatRef, trigger *rawMessage, s bots.Sender) {
	t := bots.Turn{
		Chat: c.Key(), PaceKey: c.PaceKey(), User: userKey(trigger.From.ID), Sender: s, Group: c.Group(),
		Surface: b.surface(c), ReplyTo: messageRef(trigger.MessageID), Lang: trigger.From.LanguageCode, Unsupported: true,
	}
	if err := b.eng.Submit(ctx, t); err != nil && ctx.Err() == nil {
		b.log.WarnContext(ctx, "submit unsupported message failed", "chat", t.Chat, "err", err)
	}
}

// allowed reports whether the user may use the bot in the chat: admins
// always, others when both allow-lists let them.
func (b *Bot) allowed(user, chat int64) bool {
	return b.admins.Contains(user) || (b.allowedUsers.Allows(user) && b.allowedChats.Allows(chat))
}

// refuse tells a user (once per chat and user) that the bot is not theirs
// to use.
func (b *Bot) refuse(ctx context.Context, c chatRef, m *rawMessage) {
	b.log.InfoContext(ctx, "refused a user not on the allow-lists", "chat", c.Key(), "user", m.From.ID)
	if !b.refused.Add(c.Key() + "/" + strconv.FormatInt(m.From.ID, 10)) {
		return
	}
	b.notice(ctx, c, m, b.noticesFor(m.From).Denied())
}

// noticesFor returns the adapter's notices in u's app language, else the
// configured language.
func (b *Bot) noticesFor(u *tgbotapi.User) bots.Notices {
	if u == nil || u.LanguageCode == "" {
		return b.notices
	}
	return bots.NoticesFor(u.LanguageCode)
}

// notice replies to m with a short plain-text message, sent in the
// background through the chat's pacing gate.
func (b *Bot) notice(ctx context.Context, c chatRef, m *rawMessage, text string) {
	b.eng.Notify(ctx, c.Key(), c.PaceKey(), b.surface(c), messageRef(m.MessageID), text)
}

// onCallback handles an inline button press: a Stop button stops the
// chat's running turn if it is still the turn the button belongs to and
// the presser asked it or is an admin (see bots.Engine.StopTurn). The
// answer, a toast only the presser sees, says what happened.
func (b *Bot) onCallback(ctx context.Context, q *rawCallback) {
	answer := ""
	if id, ok := parseStopData(q.Data); ok && q.Message != nil && q.From != nil {
		c := chatOf(q.Message)
		if b.allowed(q.From.ID, c.ID) {
			answer = b.stop(c.Key(), id, q.From)
		} else {
			answer = b.noticesFor(q.From).Denied()
		}
	}
	p := map[string]string{"callback_query_id": q.ID}
	if answer != "" {
		p["text"] = answer
	}
	if err := b.call(ctx, "answerCallbackQuery", p, nil); err != nil && ctx.Err() == nil {
		b.log.WarnContext(ctx, "answer callback query failed", "err", err)
	}
}

// stop presses, for from, the Stop button of turn id of chat ("" for the
// bare "stop" of buttons sent before buttons named their turn) and returns
// the answer to show from.
func (b *Bot) stop(chat, id string, from *tgbotapi.User) string {
	n := b.noticesFor(from)
	by := bots.Presser{User: userKey(from.ID), Sender: bots.Sender{ID: strconv.FormatInt(from.ID, 10), Admin: b.admins.Contains(from.ID)}}
	stopped, err := b.eng.StopTurn(chat, id, by)
	switch {
	case errors.Is(err, bots.ErrNotAsker):
		return n.NotYourStop()
	case stopped:
		return n.Stopped()
	}
	return n.NothingToStop()
}
