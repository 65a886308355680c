package discord

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/journal"
)

// ackTimeout bounds answering an interaction; Discord wants the answer
// within 3 seconds, so a later one is useless.
const ackTimeout = 10 * time.Second

// reaction is how the adapter answers one interaction: the response
// Discord must get within 3 seconds, then the work that streams the answer
// through the interaction's surface, queued behind the channel's earlier
// work under key.
type reaction struct {
	resp    *discordgo.InteractionResponse
	surface *interactionSurface
	key     string
	work    func(ctx context.Context) // nil: nothing more to do
}

// ack tells queued work how its interaction's acknowledgement went: ok
// when Discord took it, and the interaction's journal entry, if any.
type ack struct {
	ok bool
	en *journal.Entry
}

// onInteractionCreate is the gateway handler of interactions. It does not
// block: the work is queued in the channel's order at once, and the
// interaction is journaled and answered through the callback endpoint in
// a goroutine of its own, outside the limit on running jobs, unless
// another replica (or this one) has already had it; the work starts once
// the answer is in.
func (b *Bot) onInteractionCreate(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	i := ic.Interaction
	parent := b.parentOf(i.ChannelID)
	r, ok := b.react(i, parent, false)
	if !ok {
		return
	}
	acked := make(chan ack, 1)
	r = b.queueWork(r, acked)
	if !b.goOwned(&b.acks, func() { acked <- b.acknowledge(i, parent, r) }) {
		acked <- ack{}
	}
}

// acknowledge answers the gateway interaction i, from a thread of parent,
// with r's response, after journaling it when r has work to do; it skips
// an interaction handled already.
func (b *Bot) acknowledge(i *discordgo.Interaction, parent string, r reaction) ack {
	if !b.firstDelivery(b.life, seenInteraction, i.AppID, i.ID) {
		return ack{}
	}
	var en *journal.Entry
	if r.work != nil {
		var ok bool
		if en, ok = b.recordInteraction(b.life, i, nil, parent, false); !ok {
			return ack{} // another process holds it
		}
	}
	if !b.respond(i, r) {
		b.journal.End(en) // never acknowledged: nothing to take over
		return ack{}
	}
	return ack{ok: true, en: en}
}

// respond answers interaction i with r's response and reports whether
// Discord took it.
func (b *Bot) respond(i *discordgo.Interaction, r reaction) bool {
	ctx, cancel := context.WithTimeout(b.life, ackTimeout)
	defer cancel()
	if err := r.surface.respond(ctx, r.resp); err != nil {
		b.log.WarnContext(ctx, "answer interaction", "interaction", i.ID, "err", err)
		return false
	}
	return true
}

// queueWork queues r's work behind its channel's earlier work, to start
// once acked reports that the interaction was answered (not ok: drop it),
// carrying the interaction's journal entry. When the channel's queue
// cannot take it, the returned reaction answers with an ephemeral "busy"
// note instead.
func (b *Bot) queueWork(r reaction, acked <-chan ack) reaction {
	if r.work == nil {
		return r
	}
	work := r.work
	queued := b.enqueue(r.key, func(ctx context.Context) {
		var a ack
		select {
		case a = <-acked:
		case <-ctx.Done():
			// The bot is stopping. The acknowledgement still comes (it
			// ends with b.life): its entry is left for the next process.
			a = <-acked
		}
		if !a.ok {
			return
		}
		ctx = journal.WithEntry(ctx, a.en)
		a.en.Queue()
		defer b.journal.Settle(ctx)
		if ctx.Err() == nil {
			work(ctx)
		}
	})
	if !queued {
		b.log.Warn("interaction dropped: channel queue full or shutting down", "chat", r.key)
		r.resp, r.work = ephemeral(busyText(b.cfg.Language)), nil
	}
	return r
}

// react decides how to answer interaction i; parent is the parent channel
// when i came from a thread, httpAck tells that the response goes back in
// the HTTP endpoint's answer. It reports false for interactions the adapter
// does not handle.
func (b *Bot) react(i *discordgo.Interaction, parent string, httpAck bool) (reaction, bool) {
	u := interactionUser(i)
	switch {
	case u == nil:
		return reaction{}, false
	case i.Type == discordgo.InteractionApplicationCommand, i.Type == discordgo.InteractionMessageComponent,
		i.Type == discordgo.InteractionModalSubmit:
	default:
		return reaction{}, false
	}
	var stopID string
	if i.Type == discordgo.InteractionMessageComponent {
		id, ok := parseStopCustomID(i.MessageComponentData().CustomID)
		if !ok {
			return reaction{}, false
		}
		stopID = id
	}
	r := reaction{surface: newInteractionSurface(b.sess, i, b.channelSurface(i.ChannelID), b.cfg.Clock, httpAck)}
	pl := place{guild: i.GuildID, channel: i.ChannelID, parent: parent, user: u.ID, roles: memberRoles(i.Member)}
	n := bots.NoticesFor(b.langOf(string(i.Locale)))
	switch b.policy.check(pl) {
	case deniedDM:
		r.resp = ephemeral(n.DeniedDM())
		return r, true
	case denied:
		r.resp = ephemeral(n.Denied())
		return r, true
	}
	chat := chatKey(i.GuildID, i.ChannelID)
	r.key = chat
	if i.Type == discordgo.InteractionMessageComponent {
		return b.reactStop(r, i, chat, u, stopID, n), true
	}
	if i.Type == discordgo.InteractionModalSubmit {
		return b.reactModal(r, i, b.interactionTurn(r, i, chat, u)), true
	}
	return b.reactCommand(r, i, chat, u), true
}

// interactionTurn is the turn an interaction by u starts in chat, to be
// completed with its text and images.
func (b *Bot) interactionTurn(r reaction, i *discordgo.Interaction, chat string, u *discordgo.User) bots.Turn {
	return bots.Turn{
		Chat: chat, User: userKey(u.ID), Group: i.GuildID != "", Surface: r.surface,
		Sender: sender(u, i.Member, b.policy.isAdmin(u.ID)), Lang: string(i.Locale),
	}
}

// reactCommand answers a slash command: /ask starts a turn, the others run
// engine commands; both reply by editing the deferred response.
func (b *Bot) reactCommand(r reaction, i *discordgo.Interaction, chat string, u *discordgo.User) reaction {
	data := i.ApplicationCommandData()
	c := bots.Command{
		Chat: chat, User: userKey(u.ID), Surface: r.surface,
		Sender: sender(u, i.Member, b.policy.isAdmin(u.ID)),
		Group:  i.GuildID != "", Lang: string(i.Locale),
	}
	switch data.Name {
	case cmdAsk:
		t := b.interactionTurn(r, i, chat, u)
		r.work = func(ctx context.Context) { b.ask(ctx, t, data, r.surface) }
	case cmdSolve:
		return b.reactSolve(r, b.interactionTurn(r, i, chat, u), targetMessage(data))
	case cmdExplain:
		return b.reactExplain(r, i, targetMessage(data))
	case cmdReset:
		c.Name = bots.CmdReset
	case cmdThink:
		c.Name, c.Args = bots.CmdThink, optString(data, optMode)
	case cmdStop:
		c.Name = bots.CmdStop
		r.key = stopKey(chat)
	case cmdHelp:
		c.Name = bots.CmdHelp
	case cmdLang:
		c.Name, c.Args = bots.CmdLang, optString(data, optLang)
	case cmdSettings:
		c.Name = bots.CmdSettings
	default: // a command left from an older version: the engine says so
		c.Name = bots.CommandName(data.Name)
	}
	r.resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if r.work == nil {
		r.work = func(ctx context.Context) {
			if err := b.eng.Command(ctx, c); err != nil {
				b.log.WarnContext(ctx, "run command", "command", string(c.Name), "chat", chat, "err", err)
			}
		}
	}
	return r
}

// ask completes t from the /ask options (prompt, images, think) and
// submits it.
func (b *Bot) ask(ctx context.Context, t bots.Turn, data discordgo.ApplicationCommandInteractionData, is *interactionSurface) {
	atts, notes := optImages(data, optImage, optImage2)
	b.askWith(ctx, t, atts, notes, optString(data, optPrompt), optBool(data, optThink), is)
}

// askWith downloads atts, completes t with text and think, and submits it
// through is, the interaction's surface; notes are told first. Once the
// engine took the turn, a watcher makes sure the deferred response is not
// left at "is thinking…" when the turn starts too late to fill it.
func (b *Bot) askWith(ctx context.Context, t bots.Turn, atts []*discordgo.MessageAttachment, notes []string,
	text string, think *bool, is *interactionSurface) {
	ups, vids, more := b.fetchMedia(ctx, atts)
	// A note sent through the interaction would fill its deferred response
	// (a deferral's first followup takes its place, and cannot be
	// ephemeral), pushing the answer into a followup: notes go to the
	// channel instead.
	b.notify(ctx, t.Chat, is.channel, bots.MessageRef{}, append(notes, more...))
	t.Text = b.prompt(text, len(ups))
	t.Images, t.Videos = ups, vids
	t.Think = think
	if !b.submit(ctx, t) {
		return
	}
	b.goOwned(&b.watchers, func() {
		if err := is.holdOriginal(b.life, stillQueuedText(b.cfg.Language)); err != nil {
			b.log.Warn("fill a waiting interaction's response", "chat", t.Chat, "err", err)
		}
	})
}

// reactStop answers a click by u on the Stop button of turn id of chat
// ("" for the bare custom id of buttons sent before buttons named their
// turn). Someone who neither asked the turn nor is an admin gets an
// ephemeral refusal at once, and nothing is stopped; else the stop runs
// after the click's acknowledgement, and the stopped reply shows it.
func (b *Bot) reactStop(r reaction, i *discordgo.Interaction, chat string, u *discordgo.User, id string, n bots.Notices) reaction {
	by := bots.Presser{User: userKey(u.ID), Sender: sender(u, i.Member, b.policy.isAdmin(u.ID))}
	if !by.MayStop(chat, id) {
		r.resp = ephemeral(n.NotYourStop())
		return r
	}
	r.resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	r.key = stopKey(chat)
	r.work = func(ctx context.Context) {
		if _, err := b.eng.StopTurn(chat, id, by); err != nil {
			b.log.WarnContext(ctx, "stop button", "chat", chat, "err", err)
		}
	}
	return r
}

// stopKey is the queue key of a channel's stop requests: they jump the
// queue of the channel's questions.
func stopKey(chat string) string { return "stop:" + chat }

// ephemeral is an immediate reply only the user sees.
func ephemeral(text string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Content: text, Flags: discordgo.MessageFlagsEphemeral},
	}
}

// optString returns a string option's value, or "".
func optString(d discordgo.ApplicationCommandInteractionData, name string) string {
	o := d.GetOption(name)
	if o == nil {
		return ""
	}
	s, _ := o.Value.(string)
	return s
}

// optBool returns a boolean option's value, or nil when it was not given.
func optBool(d discordgo.ApplicationCommandInteractionData, name string) *bool {
	o := d.GetOption(name)
	if o == nil {
		return nil
	}
	v, ok := o.Value.(bool)
	if !ok {
		return nil
	}
	return &v
}

// optImages returns the resolved attachments of the named options that
// are images, and a note for each one that is not.
func optImages(d discordgo.ApplicationCommandInteractionData, names ...string) ([]*discordgo.MessageAttachment, []string) {
	var atts []*discordgo.MessageAttachment
	var notes []string
	for _, name := range names {
		id := optString(d, name)
		if id == "" || d.Resolved == nil {
			continue
		}
		a := d.Resolved.Attachments[id]
		switch {
		case a == nil:
			notes = append(notes, fmt.Sprintf("Could not find the file given as %s.", name))
		case imageType(a) == "" && clipType(a) == "":
			notes = append(notes, fmt.Sprintf("Skipped %s: not an image.", a.Filename))
		default:
			atts = append(atts, a)
		}
	}
	return atts, notes
}
