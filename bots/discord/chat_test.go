package discord

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// Texts of the engine's catalog the tests look for.
const (
	unknownEN     = "I don't know that command"
	unsupportedEN = "I can read text, photos and videos only"
	unsupportedZH = "我只能读文字、图片和视频"
	helpGuildEN   = "Use /ask with your question"
	helpDMEN      = "Every message here is a question, with or without images"
	helpGuildZH   = "使用 /ask 提问"
	settingsEN    = "Settings here:"
)

// chatStack is the real engine with a fake model behind a Bot on the fake
// Discord.
func chatStack(t *testing.T) (stack, *dctest.Server, *Bot) {
	t.Helper()
	st := newStack(t)
	fake := dctest.New(t)
	cfg := testConfig(fake, bots.SystemClock{})
	cfg.EditInterval = 10 * time.Millisecond
	return st, fake, newTestBot(t, fake, cfg, st.eng)
}

// waitContent waits until n of the bot's messages contain s.
func waitContent(t *testing.T, fake *dctest.Server, s string, n int) {
	t.Helper()
	fake.WaitFor(t, "a message containing "+s, func() bool { return contentCount(fake, s) >= n })
}

// contentCount counts the bot's messages that contain s.
func contentCount(fake *dctest.Server, s string) int {
	n := 0
	for _, m := range fake.Messages() {
		if strings.Contains(m.Content, s) {
			n++
		}
	}
	return n
}

// TestEndToEndHelpAndSettings: /help says how to use the bot in a server
// channel and in a DM, with the settings; /settings shows them; the
// sender's Discord language picks the language.
func TestEndToEndHelpAndSettings(t *testing.T) {
	st, fake, b := chatStack(t)
	b.interact(fake.Command(guildUser, cmdHelp))
	waitContent(t, fake, helpGuildEN, 1)
	b.interact(fake.Command(dmUser, cmdHelp))
	waitContent(t, fake, helpDMEN, 1)
	zh := fake.Command(guildUser, cmdHelp)
	zh.Locale = discordgo.ChineseTW
	b.interact(zh)
	waitContent(t, fake, helpGuildZH, 1)
	b.interact(fake.Command(guildUser, cmdThink, dctest.String(optMode, "on")))
	waitContent(t, fake, "Thinking is on", 1)
	b.interact(fake.Command(guildUser, cmdSettings))
	waitContent(t, fake, "Thinking: on", 1)
	st.eng.Wait()
	if n := contentCount(fake, settingsEN); n != 3 { // two helps and /settings
		t.Errorf("%d messages show the settings, want 3", n)
	}
	if n := len(st.model.Requests()); n != 0 {
		t.Errorf("%d model requests, want 0", n)
	}
}

// TestEndToEndUnknownSlashCommand: a command the bot no longer has (left
// registered by an older version), here through the HTTP interactions
// endpoint, is answered as unknown, with the help, and costs no tokens.
func TestEndToEndUnknownSlashCommand(t *testing.T) {
	st := newStack(t)
	fake := dctest.New(t)
	cfg := testConfig(fake, bots.SystemClock{})
	cfg.InteractionsListen = "127.0.0.1:0"
	b := newTestBot(t, fake, cfg, st.eng)
	postToRun(t, b, fake, fake.Command(guildUser, "imagine", dctest.String("prompt", "a cat")))
	waitContent(t, fake, unknownEN, 1)
	st.eng.Wait()
	if got := fake.Messages(); len(got) != 1 || !strings.Contains(got[0].Content, helpGuildEN) {
		t.Errorf("messages %+v, want one answer with the help", got)
	}
	if n := len(st.model.Requests()); n != 0 {
		t.Errorf("%d model requests, want 0", n)
	}
}

// TestEndToEndUnsupportedMessages: a PDF, a voice message or a sticker in
// a DM (or with a mention) gets one answer per burst saying what the bot
// reads, in the chat's language, and never reaches the model.
func TestEndToEndUnsupportedMessages(t *testing.T) {
	st, fake, b := chatStack(t)
	dm := func(id string) *discordgo.Message {
		return &discordgo.Message{ID: id, ChannelID: "d2", Type: discordgo.MessageTypeDefault,
			Author: &discordgo.User{ID: "u2", Username: "bob"}}
	}
	pdf := dm("801")
	pdf.Content = "what does this say?"
	pdf.Attachments = []*discordgo.MessageAttachment{fake.AddAttachment("hw.pdf", "application/pdf", []byte("%PDF-1.4"))}
	voice := dm("802")
	voice.Attachments = []*discordgo.MessageAttachment{fake.AddAttachment("voice-message.ogg", "audio/ogg", []byte("OggS"))}
	sticker := dm("803")
	sticker.StickerItems = []*discordgo.StickerItem{{ID: "s1", Name: "wave", FormatType: discordgo.StickerFormatTypePNG}}
	for _, m := range []*discordgo.Message{pdf, voice, sticker} {
		b.receive(m)
	}
	waitContent(t, fake, unsupportedEN, 1)

	// In a server channel, with the chat's language set to Chinese.
	b.interact(fake.Command(guildUser, cmdLang, dctest.String(optLang, "zh")))
	waitContent(t, fake, "中文", 1)
	m := mention("810", "")
	m.StickerItems = sticker.StickerItems
	b.receive(m)
	waitContent(t, fake, unsupportedZH, 1)
	st.eng.Wait()
	if n := contentCount(fake, unsupportedEN); n != 1 {
		t.Errorf("%d answers to the DM's burst, want 1", n)
	}
	if n := len(st.model.Requests()); n != 0 {
		t.Errorf("%d model requests for unsupported messages, want 0", n)
	}
}

// TestEndToEndMisconfiguredTellsTheAdmins: a rejected API key is told to
// the configured admins in a DM naming the cause, once an hour, without
// the user's text.
func TestEndToEndMisconfiguredTellsTheAdmins(t *testing.T) {
	st := newStack(t)
	st.model.SetDefault(llmtest.Response{Status: 401, Body: llmtest.NativeErrorBody("InvalidApiKey", "Invalid API-key provided.")})
	fake := dctest.New(t)
	cfg := testConfig(fake, bots.SystemClock{})
	cfg.Admins = []string{"u9"}
	b := newTestBot(t, fake, cfg, st.eng)
	st.eng.AddAlerter(b)
	b.receive(mention("820", "my homework question"))
	b.receive(mention("821", "again"))
	waitContent(t, fake, "configuration problem", 2)
	st.eng.Wait()
	var alerts []string
	for _, m := range fake.Messages() {
		if m.ChannelID == "dm-u9" {
			alerts = append(alerts, m.Content)
		}
	}
	if len(alerts) != 1 || !strings.Contains(alerts[0], "InvalidApiKey") || strings.Contains(alerts[0], "homework") {
		t.Errorf("admin got %q, want one DM naming InvalidApiKey without the user's text", alerts)
	}
}

// TestEndToEndSettingsShowTheBudgets: with daily budgets set, /settings
// shows what is left today for the user and the channel.
func TestEndToEndSettingsShowTheBudgets(t *testing.T) {
	st := newConfiguredStack(t, llmtest.NewFrameGate(), bots.Config{DailyUserTokens: 1000, DailyChatTokens: 5000})
	st.model.SetDefault(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"4"},
		llm.Usage{InputTokens: 200, OutputTokens: 100, TotalTokens: 300})})
	fake := dctest.New(t)
	cfg := testConfig(fake, bots.SystemClock{})
	b := newTestBot(t, fake, cfg, st.eng)
	b.receive(mention("830", "2+2?"))
	st.eng.Wait()
	b.interact(fake.Command(guildUser, cmdSettings))
	waitContent(t, fake, "Your tokens left today: 700 of 1000", 1)
	waitContent(t, fake, "This chat's tokens left today: 4700 of 5000", 1)
}

// TestEndToEndQuotaMidAnswer: a quota error in the middle of an answer
// says the model is busy, not that the connection was lost.
func TestEndToEndQuotaMidAnswer(t *testing.T) {
	st, fake, b := chatStack(t)
	frames := llmtest.Answer{Text: []string{"The first step "}}.Native()
	frames = append(frames[:len(frames)-1], llmtest.NativeErrorEvent(9, 429, "Throttling.AllocationQuota", "Allocated quota exceeded."))
	st.model.Enqueue(llmtest.Response{Frames: frames})
	b.interact(fake.Command(guildUser, cmdAsk, dctest.String(optPrompt, "solve it")))
	waitContent(t, fake, "the model is busy; please try again shortly", 1)
	st.eng.Wait()
	if n := contentCount(fake, "connection"); n != 0 {
		t.Errorf("%d messages blame the connection", n)
	}
}
