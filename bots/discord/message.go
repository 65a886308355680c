package discord

import (
	"context"
	"errors"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/journal"
)

// onMessageCreate is the gateway handler of new messages. A message meant
// for the bot is journaled (when the bot keeps a journal), then queued
// behind its channel's earlier work, where, unless it was handled already
// (by another replica on the same shard, or before a resume), its images
// are downloaded and it is submitted. It does not block but for the
// journal's one round trip.
func (b *Bot) onMessageCreate(_ *discordgo.Session, m *discordgo.MessageCreate) {
	self := b.selfID()
	t, atts, quoted, ok := b.messageTurn(m.Message, self)
	if !ok {
		return
	}
	en, ok := b.record(b.life, messageEntry(m.ID), journaled{Message: m.Message, Self: self})
	if !ok {
		return // another process holds it
	}
	job := func(ctx context.Context) {
		if b.firstDelivery(ctx, seenMessage, self, m.ID) {
			b.completeTurn(ctx, t, atts, quoted)
		}
	}
	if !b.enqueueEntry(t.Chat, en, job) {
		b.log.Warn("message dropped: channel queue full or shutting down", "chat", t.Chat)
	}
}

// messageTurn starts the turn of a message addressed to the bot, whose
// user id is self: any DM
// (when DMs are on), or, in guilds, a mention of the bot or a reply to one
// of its messages. It returns the turn without images; the image
// attachments (and embedded images) to download: m's own, then those of
// the message it replies to; and the quoted text of that message when it
// is someone else's (the bot's own is in the history already). Other
// messages, messages from bots, and messages an allow-list excludes are
// not turns.
func (b *Bot) messageTurn(m *discordgo.Message, self string) (bots.Turn, []*discordgo.MessageAttachment, string, bool) {
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System {
		return bots.Turn{}, nil, "", false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return bots.Turn{}, nil, "", false
	}
	if m.Author.ID == self || !addressed(m, self) {
		return bots.Turn{}, nil, "", false
	}
	pl := place{guild: m.GuildID, channel: m.ChannelID, parent: b.parentOf(m.ChannelID),
		user: m.Author.ID, roles: memberRoles(m.Member)}
	if v := b.policy.check(pl); v != allowed {
		b.log.Debug("message ignored by access policy", "user", m.Author.ID, "channel", m.ChannelID, "verdict", int(v))
		return bots.Turn{}, nil, "", false
	}
	atts := messageImages(m)
	var quoted string
	if r := m.ReferencedMessage; r != nil {
		atts = append(atts, messageImages(r)...)
		if r.Author == nil || r.Author.ID != self {
			quoted = quote(r)
		}
	}
	return bots.Turn{
		Chat:        chatKey(m.GuildID, m.ChannelID),
		User:        userKey(m.Author.ID),
		Sender:      sender(m.Author, m.Member, b.policy.isAdmin(m.Author.ID)),
		Group:       m.GuildID != "",
		Text:        promptText(m, self),
		Surface:     b.channelSurface(m.ChannelID),
		ReplyTo:     makeRef(kindChannel, m.ID),
		Unsupported: len(atts) == 0 && unreadable(m),
	}, atts, quoted, true
}

// unreadable reports whether m carries what the bot cannot read: a
// sticker, a poll, or an attachment that is neither an image nor a video
// (a PDF, a voice message, audio).
func unreadable(m *discordgo.Message) bool {
	if len(m.StickerItems) > 0 || m.Poll != nil {
		return true
	}
	for _, a := range m.Attachments {
		if a != nil && imageType(a) == "" && !strings.HasPrefix(a.ContentType, "video/") {
			return true
		}
	}
	return false
}

// completeTurn downloads the images of a message's turn, tells the user
// what was left out, puts quoted (the text of the message it is about)
// before its text, and submits it. An unsupported turn is submitted as it
// is.
func (b *Bot) completeTurn(ctx context.Context, t bots.Turn, atts []*discordgo.MessageAttachment, quoted string) {
	if t.Unsupported { // the engine says what the bot reads
		b.submit(ctx, t)
		return
	}
	ups, vids, notes := b.fetchMedia(ctx, atts)
	b.notify(ctx, t.Chat, t.Surface, t.ReplyTo, notes)
	text := b.prompt(t.Text, len(ups))
	switch { // the quote is no question
	case text == "" && quoted != "" && len(ups) > 0:
		text = bots.PhotoPrompt(b.cfg.Language)
	case text == "" && quoted != "" && len(vids) > 0:
		text = bots.VideoPrompt(b.cfg.Language)
	}
	t.Text = withQuote(quoted, text)
	t.Images, t.Videos = ups, vids
	b.submit(ctx, t)
}

// addressed reports whether m is meant for the bot: every DM, and in guilds
// a mention of the bot or a reply to one of its messages.
func addressed(m *discordgo.Message, self string) bool {
	if m.GuildID == "" {
		return true
	}
	if self == "" {
		return false
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == self {
			return true
		}
	}
	if strings.Contains(m.Content, "<@"+self+">") || strings.Contains(m.Content, "<@!"+self+">") {
		return true
	}
	r := m.ReferencedMessage
	return r != nil && r.Author != nil && r.Author.ID == self
}

// promptText is m's text without the bot's mention, other mentions shown
// as @username.
func promptText(m *discordgo.Message, self string) string {
	cp := *m
	if self != "" {
		cp.Content = strings.NewReplacer("<@"+self+">", "", "<@!"+self+">", "").Replace(cp.Content)
	}
	return strings.TrimSpace(cp.ContentWithMentionsReplaced())
}

// prompt returns text, or the configured photo prompt when text is empty
// and the turn has images; "" lets the engine ask its own, in the chat's
// language.
func (b *Bot) prompt(text string, nImages int) string {
	if text == "" && nImages > 0 {
		return b.cfg.PhotoPrompt
	}
	return text
}

// channelSurface returns the reply surface of a channel.
func (b *Bot) channelSurface(channel string) *channelSurface {
	return &channelSurface{s: b.sess, channel: channel, limits: b.limits}
}

// parentOf returns the parent channel of a thread from the gateway's state
// cache, or "".
func (b *Bot) parentOf(channel string) string {
	if b.sess.State == nil {
		return ""
	}
	ch, err := b.sess.State.Channel(channel)
	if err != nil || !ch.IsThread() {
		return ""
	}
	return ch.ParentID
}

// notify tells the user, in one message sent in the background through
// the chat's pacing gate, what was left out of their turn.
func (b *Bot) notify(ctx context.Context, chat string, s bots.Surface, to bots.MessageRef, notes []string) {
	if len(notes) == 0 {
		return
	}
	b.eng.Notify(ctx, chat, "", s, to, "⚠️ "+strings.Join(notes, " "))
}

// submit hands t to the engine and reports whether it took it. The engine
// answers every problem with the turn itself; an error here means it is
// shutting down: a journaled turn is left for the next process, the user
// is told of any other.
func (b *Bot) submit(ctx context.Context, t bots.Turn) bool {
	t.Ended, t.Resumable = b.journal.HandOff(ctx), journal.Resumable(ctx)
	err := b.eng.Submit(ctx, t)
	b.journal.Submitted(ctx, err)
	switch {
	case err == nil:
		return true
	case t.Resumable && errors.Is(err, bots.ErrShuttingDown):
		return false
	}
	b.log.WarnContext(ctx, "submit turn", "chat", t.Chat, "err", err)
	b.eng.Notify(ctx, t.Chat, "", t.Surface, t.ReplyTo, b.notices.Restarting())
	return false
}
