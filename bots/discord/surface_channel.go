package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
)

// stopButtonID is the custom id of a Stop button that names no turn;
// buttons name theirs as "qwenbot:stop:<id>".
const stopButtonID = "qwenbot:stop"

// maxCustomID is the longest custom id Discord accepts.
const maxCustomID = 100

// stopCustomID is the custom id of the Stop button of turn id: the bare
// stopButtonID when id is empty or too long to fit.
func stopCustomID(id string) string {
	if c := stopButtonID + ":" + id; id != "" && len(c) <= maxCustomID {
		return c
	}
	return stopButtonID
}

// parseStopCustomID reports whether customID is a Stop button's, and the
// turn id it names ("" for the bare stopButtonID).
func parseStopCustomID(customID string) (id string, ok bool) {
	if customID == stopButtonID {
		return "", true
	}
	id, ok = strings.CutPrefix(customID, stopButtonID+":")
	return id, ok && id != ""
}

// channelSurface replies with normal messages in one channel (or thread):
// each new message replies to the given message, edits go through the
// channel's own rate-limit bucket. It is safe for concurrent use.
type channelSurface struct {
	s       *discordgo.Session
	channel string
	limits  bots.Limits
}

var _ bots.Surface = (*channelSurface)(nil)

// Send posts m in the channel, as a reply to m.ReplyTo when set.
func (c *channelSurface) Send(ctx context.Context, m bots.Outgoing) (bots.MessageRef, error) {
	data := &discordgo.MessageSend{
		Content:         m.Text,
		AllowedMentions: noMentions(),
		Components:      buttons(m),
	}
	if id := messageID(m.ReplyTo); id != "" {
		no := false
		data.Reference = &discordgo.MessageReference{MessageID: id, ChannelID: c.channel, FailIfNotExists: &no}
	}
	msg, err := c.s.ChannelMessageSendComplex(c.channel, data, discordgo.WithContext(ctx))
	if err != nil {
		return bots.MessageRef{}, fmt.Errorf("send message: %w", classify(err, false))
	}
	return makeRef(kindChannel, msg.ID), nil
}

// Edit replaces the text (and stop button) of a message sent by Send.
func (c *channelSurface) Edit(ctx context.Context, ref bots.MessageRef, m bots.Outgoing) error {
	id := messageID(ref)
	if id == "" {
		return fmt.Errorf("edit message: bad ref %q", ref.ID)
	}
	comps := buttons(m)
	edit := &discordgo.MessageEdit{
		ID: id, Channel: c.channel, Content: &m.Text,
		Components: &comps, AllowedMentions: noMentions(),
	}
	if _, err := c.s.ChannelMessageEditComplex(edit, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("edit message: %w", classify(err, false))
	}
	return nil
}

// Delete removes a message sent by Send.
func (c *channelSurface) Delete(ctx context.Context, ref bots.MessageRef) error {
	id := messageID(ref)
	if id == "" {
		return fmt.Errorf("delete message: bad ref %q", ref.ID)
	}
	if err := c.s.ChannelMessageDelete(c.channel, id, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("delete message: %w", classify(err, false))
	}
	return nil
}

// Typing shows "typing…" in the channel for about ten seconds.
func (c *channelSurface) Typing(ctx context.Context) error {
	if err := c.s.ChannelTyping(c.channel, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("send typing: %w", classify(err, false))
	}
	return nil
}

// Limits returns the channel's limits.
func (c *channelSurface) Limits() bots.Limits { return c.limits }

// noMentions stops a reply from pinging anyone, including the author of
// the message it replies to.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// buttons returns the components of m: a stop button naming m's turn, or
// none (an empty list, which removes a button on edit).
func buttons(m bots.Outgoing) []discordgo.MessageComponent {
	if !m.StopButton {
		return []discordgo.MessageComponent{}
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Stop", Style: discordgo.SecondaryButton, CustomID: stopCustomID(m.StopID)},
	}}}
}
