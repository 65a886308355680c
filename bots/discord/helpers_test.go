package discord

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

var _ bots.Clock = (*botstest.FakeClock)(nil)

// fakeEngine is a hand-written engine with function fields; nil fields
// record the call and succeed.
type fakeEngine struct {
	submit  func(ctx context.Context, t bots.Turn) error
	command func(ctx context.Context, c bots.Command) error
	// stopTurn answers StopTurn; nil stops.
	stopTurn func(chat, id string, by bots.Presser) (bool, error)

	mu      sync.Mutex
	turns   []bots.Turn
	cmds    []bots.Command
	stops   []string // "<chat>/<id>" from StopTurn
	notices []notified
}

// notified is one call of Notify.
type notified struct {
	Chat, PaceKey string
	Surface       bots.Surface
	ReplyTo       bots.MessageRef
	Text          string
}

var (
	_ engine = (*fakeEngine)(nil)
	_ engine = (*bots.Engine)(nil)
)

// Notify records the notice and sends it at once, as the engine does in
// the background.
func (f *fakeEngine) Notify(ctx context.Context, chat, pace string, s bots.Surface, to bots.MessageRef, text string) {
	f.mu.Lock()
	f.notices = append(f.notices, notified{Chat: chat, PaceKey: pace, Surface: s, ReplyTo: to, Text: text})
	f.mu.Unlock()
	_, _ = s.Send(ctx, bots.Outgoing{Text: text, Format: bots.FormatPlain, ReplyTo: to})
}

// Notices returns the notices sent so far.
func (f *fakeEngine) Notices() []notified {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]notified(nil), f.notices...)
}

func (f *fakeEngine) StopTurn(chat, id string, by bots.Presser) (bool, error) {
	f.mu.Lock()
	f.stops = append(f.stops, chat+"/"+id)
	f.mu.Unlock()
	if f.stopTurn != nil {
		return f.stopTurn(chat, id, by)
	}
	return true, nil
}

func (f *fakeEngine) Submit(ctx context.Context, t bots.Turn) error {
	f.mu.Lock()
	f.turns = append(f.turns, t)
	f.mu.Unlock()
	if f.submit != nil {
		return f.submit(ctx, t)
	}
	return nil
}

func (f *fakeEngine) Command(ctx context.Context, c bots.Command) error {
	f.mu.Lock()
	f.cmds = append(f.cmds, c)
	f.mu.Unlock()
	if f.command != nil {
		return f.command(ctx, c)
	}
	return nil
}

// Turns returns the turns submitted so far.
func (f *fakeEngine) Turns() []bots.Turn {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bots.Turn(nil), f.turns...)
}

// Commands returns the commands run so far.
func (f *fakeEngine) Commands() []bots.Command {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bots.Command(nil), f.cmds...)
}

// Stops returns the chats stopped so far.
func (f *fakeEngine) Stops() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.stops...)
}

// onlyTurn returns the single submitted turn.
func (f *fakeEngine) onlyTurn(tb testing.TB) bots.Turn {
	tb.Helper()
	ts := f.Turns()
	if len(ts) != 1 {
		tb.Fatalf("submitted %d turns, want 1: %+v", len(ts), ts)
	}
	return ts[0]
}

// epoch is the fake clock's start.
var epoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// testConfig is a config that reaches fake and starts nothing.
func testConfig(fake *dctest.Server, clock bots.Clock) Config {
	return Config{
		APIURL: fake.APIURL(), ApplicationID: dctest.AppID, PublicKey: fake.PublicKey(),
		DMs: true, MessageContent: true, Clock: clock,
	}
}

// newTestBot returns a Bot talking to fake, with the gateway's Ready seen.
func newTestBot(tb testing.TB, fake *dctest.Server, cfg Config, eng engine) *Bot {
	tb.Helper()
	return newSharedBot(tb, fake, cfg, eng, nil)
}

// newSharedBot is newTestBot with seen de-duplicating across Bots.
func newSharedBot(tb testing.TB, fake *dctest.Server, cfg Config, eng engine, seen deduper) *Bot {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := New(dctest.Token, cfg, eng, fake.Client(), seen, log)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	b.onReady(b.sess, &discordgo.Ready{User: &discordgo.User{ID: dctest.BotID}})
	tb.Cleanup(b.drain)
	return b
}

// guildUser invokes from guild g1, channel c1, as user u1 ("Ann").
var guildUser = dctest.Invoker{Guild: "g1", Channel: "c1", User: "u1", Username: "ann", GlobalName: "Ann G", Nick: "Annie"}

// dmUser invokes from a DM channel as user u2.
var dmUser = dctest.Invoker{Channel: "d2", User: "u2", Username: "bob"}

// guildMessage returns a message in g1/c1 by u1 with the given content.
func guildMessage(id, content string) *discordgo.Message {
	return &discordgo.Message{
		ID: id, ChannelID: "c1", GuildID: "g1", Content: content, Type: discordgo.MessageTypeDefault,
		Author: &discordgo.User{ID: "u1", Username: "ann", GlobalName: "Ann G"},
		Member: &discordgo.Member{Nick: "Annie", Roles: []string{"r1"}},
	}
}

// mention returns a guild message mentioning the bot.
func mention(id, text string) *discordgo.Message {
	m := guildMessage(id, "<@"+dctest.BotID+"> "+text)
	m.Mentions = []*discordgo.User{{ID: dctest.BotID, Username: "qwenbot", Bot: true}}
	return m
}

// out is a Markdown outgoing message.
func out(text string) bots.Outgoing {
	return bots.Outgoing{Text: text, Format: bots.FormatMarkdown}
}

// pngBytes is a tiny stand-in for an image's bytes.
var pngBytes = []byte("\x89PNG\r\n\x1a\nfake image bytes")

// interact delivers i through the gateway handler and waits until the bot
// has answered it and run the work it queued.
func (b *Bot) interact(i *discordgo.Interaction) {
	b.onInteractionCreate(b.sess, &discordgo.InteractionCreate{Interaction: i})
	b.wait()
}

// receive delivers m through the gateway handler and waits until the bot
// has run the work it queued.
func (b *Bot) receive(m *discordgo.Message) {
	b.onMessageCreate(b.sess, &discordgo.MessageCreate{Message: m})
	b.wait()
}
