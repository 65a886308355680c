package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/bwmarrin/discordgo"
)

// Slash command and option names.
const (
	cmdAsk   = "ask"
	cmdReset = "reset"
	cmdThink = "think"
	cmdStop  = "stop"
	// cmdHelp, cmdLang and cmdSettings answer with the engine's help,
	// language setting and settings.
	cmdHelp     = "help"
	cmdLang     = "lang"
	cmdSettings = "settings"

	optPrompt = "prompt"
	optImage  = "image"
	optImage2 = "image2"
	optThink  = "think"
	optMode   = "mode"
	optLang   = "language"
)

// commands returns the slash commands and the message commands; dms makes
// them usable in DMs with the bot.
func commands(dms bool) []*discordgo.ApplicationCommand {
	ctxs := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	if dms {
		ctxs = append(ctxs, discordgo.InteractionContextBotDM)
	}
	cmds := []*discordgo.ApplicationCommand{
		{Name: cmdAsk, Description: "Ask Qwen a question, optionally about images", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: optPrompt, Description: "Your question", Required: true},
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: optImage, Description: "An image to ask about"},
			{Type: discordgo.ApplicationCommandOptionAttachment, Name: optImage2, Description: "A second image"},
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: optThink, Description: "Think before answering (slower, better for hard problems)"},
		}},
		{Name: cmdReset, Description: "Forget this conversation"},
		{Name: cmdThink, Description: "Show or switch thinking mode for this conversation", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: optMode, Description: "on or off", Choices: []*discordgo.ApplicationCommandOptionChoice{
				{Name: "on", Value: "on"}, {Name: "off", Value: "off"},
			}},
		}},
		{Name: cmdStop, Description: "Stop the answer being written"},
		{Name: cmdLang, Description: "Show or choose the language of the bot's messages here", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: optLang, Description: "en, zh, or auto (each user's Discord language)", Choices: []*discordgo.ApplicationCommandOptionChoice{
				{Name: "English", Value: "en"}, {Name: "中文", Value: "zh"}, {Name: "auto", Value: "auto"},
			}},
		}},
		{Name: cmdSettings, Description: "Show this conversation's settings and today's allowance"},
		{Name: cmdHelp, Description: "How to use this bot"},
	}
	for _, c := range cmds {
		localize(c)
	}
	cmds = append(cmds, messageCommands()...)
	for _, c := range cmds {
		c.Contexts = &ctxs
	}
	return cmds
}

// register resolves the application id when it is not configured, then
// replaces the application's commands with ours, in the dev guild when one
// is configured and globally otherwise.
func (b *Bot) register(ctx context.Context) (string, error) {
	app := b.cfg.ApplicationID
	if app == "" {
		url := discordgo.EndpointOAuth2Application("@me")
		body, err := b.sess.RequestWithBucketID(http.MethodGet, url, nil, url, discordgo.WithContext(ctx))
		if err != nil {
			return "", fmt.Errorf("get application id: %w", err)
		}
		var a discordgo.Application
		if err := json.Unmarshal(body, &a); err != nil || a.ID == "" {
			return "", fmt.Errorf("get application id: bad answer: %v", err)
		}
		app = a.ID
	}
	_, err := b.sess.ApplicationCommandBulkOverwrite(app, b.cfg.DevGuildID, commands(b.cfg.DMs), discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("register slash commands: %w", err)
	}
	b.registered.Store(true)
	return app, nil
}
