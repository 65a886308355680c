package discord

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
)

// Message commands (the "Apps" context menu of a message) and the custom
// ids of the modal that asks for the follow-up of cmdExplain.
const (
	cmdSolve   = "Solve with Qwen"
	cmdExplain = "Explain this"

	explainModalPrefix = "qwen-explain:"
	explainInputID     = "followup"
	maxFollowUp        = 1000
)

// messageCommands returns the message commands.
func messageCommands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{Type: discordgo.MessageApplicationCommand, Name: cmdSolve, NameLocalizations: &map[discordgo.Locale]string{
			discordgo.ChineseCN: "用 Qwen 解题", discordgo.ChineseTW: "用 Qwen 解題",
		}},
		{Type: discordgo.MessageApplicationCommand, Name: cmdExplain, NameLocalizations: &map[discordgo.Locale]string{
			discordgo.ChineseCN: "解释这条消息", discordgo.ChineseTW: "解釋這則訊息",
		}},
	}
}

// targetMessage returns the message a message command was used on.
func targetMessage(d discordgo.ApplicationCommandInteractionData) *discordgo.Message {
	if d.Resolved == nil || d.TargetID == "" {
		return nil
	}
	return d.Resolved.Messages[d.TargetID]
}

// reactSolve answers "Solve with Qwen": a visible deferred response, then
// a turn about the target message, streamed into it as /ask is.
func (b *Bot) reactSolve(r reaction, t bots.Turn, target *discordgo.Message) reaction {
	if target == nil {
		r.resp = ephemeral(b.notices.UnknownCommand())
		return r
	}
	r.resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	r.work = func(ctx context.Context) {
		b.askAbout(ctx, t, target, solvePrompt(b.langOf(t.Lang)), r.surface)
	}
	return r
}

// reactExplain answers "Explain this" with a modal asking for an optional
// follow-up; the target is remembered until the modal is submitted.
func (b *Bot) reactExplain(r reaction, i *discordgo.Interaction, target *discordgo.Message) reaction {
	if target == nil {
		r.resp = ephemeral(b.notices.UnknownCommand())
		return r
	}
	b.targets.put(i.ChannelID, target)
	r.resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: explainModalPrefix + target.ID,
		Title:    explainTitle(b.langOf(string(i.Locale))),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{
				CustomID: explainInputID, Label: explainLabel(b.langOf(string(i.Locale))), Style: discordgo.TextInputParagraph,
				Placeholder: explainPlaceholder(b.langOf(string(i.Locale))), MaxLength: maxFollowUp,
			},
		}}},
	}}
	return r
}

// reactModal answers the submitted "Explain this" modal: a visible
// deferred response, then a turn about the target message with the typed
// follow-up as its question.
func (b *Bot) reactModal(r reaction, i *discordgo.Interaction, t bots.Turn) reaction {
	data := i.ModalSubmitData()
	id, ok := strings.CutPrefix(data.CustomID, explainModalPrefix)
	if !ok || id == "" {
		r.resp = ephemeral(b.notices.UnknownCommand())
		return r
	}
	followUp := strings.TrimSpace(modalValue(data, explainInputID))
	r.resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	r.work = func(ctx context.Context) {
		target, err := b.targets.get(ctx, i.ChannelID, id)
		if err != nil {
			b.log.WarnContext(ctx, "load the message to explain", "chat", t.Chat, "message", id, "err", err)
			b.eng.Notify(ctx, t.Chat, "", r.surface, bots.MessageRef{}, targetGoneText(b.langOf(t.Lang)))
			return
		}
		if followUp == "" {
			followUp = explainPrompt(b.langOf(t.Lang))
		}
		b.askAbout(ctx, t, target, followUp, r.surface)
	}
	return r
}

// askAbout completes t as a question about target (its text quoted, its
// images attached) and submits it through the interaction's surface is.
func (b *Bot) askAbout(ctx context.Context, t bots.Turn, target *discordgo.Message, question string, is *interactionSurface) {
	b.askWith(ctx, t, messageImages(target), nil, withQuote(quote(target), question), nil, is)
}

// modalValue returns the value of the text input id of a submitted modal.
func modalValue(d discordgo.ModalSubmitInteractionData, id string) string {
	for _, c := range d.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, rc := range row.Components {
			if in, ok := rc.(*discordgo.TextInput); ok && in.CustomID == id {
				return in.Value
			}
		}
	}
	return ""
}
