package discord

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestAskWithImageStreamsIntoOriginalResponse(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	att := fake.AddAttachment("page.png", "image/png", pngBytes)
	i := fake.Command(guildUser, "ask", dctest.String("prompt", "solve this"),
		dctest.Attachment("image", att), dctest.Bool("think", true))

	b.interact(i)

	cbs := fake.Callbacks()
	if len(cbs) != 1 || cbs[0].Type != 5 || cbs[0].Token != i.Token {
		t.Fatalf("callbacks = %+v, want one deferred (type 5)", cbs)
	}
	tr := eng.onlyTurn(t)
	if tr.Chat != "dc:g1:c1" || tr.User != "dc:u1" || !tr.Group || tr.Text != "solve this" {
		t.Errorf("turn = %+v", tr)
	}
	if tr.Sender != (bots.Sender{ID: "u1", Name: "Annie"}) {
		t.Errorf("sender = %+v", tr.Sender)
	}
	if tr.Think == nil || !*tr.Think {
		t.Errorf("think = %v, want true", tr.Think)
	}
	if len(tr.Images) != 1 || !bytes.Equal(tr.Images[0].Data, pngBytes) || tr.Images[0].MIME != "image/png" {
		t.Fatalf("images = %+v", tr.Images)
	}
	if d := fake.Downloads(); len(d) != 1 {
		t.Errorf("downloads = %v", d)
	}

	ctx := t.Context()
	ref, err := tr.Surface.Send(ctx, bots.Outgoing{Text: "Thinking…", StopButton: true})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := tr.Surface.Edit(ctx, ref, out("**x = 2**")); err != nil {
		t.Fatalf("Edit: %v", err)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 || msgs[0].Kind != dctest.KindOriginal || msgs[0].Content != "**x = 2**" || msgs[0].StopButton {
		t.Fatalf("messages = %+v", msgs)
	}
	if got := msgs[0].Contents; len(got) != 2 || got[0] != "Thinking…" {
		t.Errorf("contents = %q", got)
	}
}

func TestInteractionContinuationPartsAreFollowups(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	b.interact(fake.Command(dmUser, "ask", dctest.String("prompt", "hi")))
	tr := eng.onlyTurn(t)
	if tr.Chat != "dc:dm:d2" || tr.Group || tr.Sender.Name != "bob" {
		t.Errorf("turn = %+v", tr)
	}
	ctx := t.Context()
	first, err := tr.Surface.Send(ctx, out("part 1"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := tr.Surface.Send(ctx, bots.Outgoing{Text: "part 2", ReplyTo: first})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Surface.Edit(ctx, second, out("part 2, done")); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages()
	if len(msgs) != 2 || msgs[0].Kind != dctest.KindOriginal || msgs[1].Kind != dctest.KindFollowup ||
		msgs[1].Content != "part 2, done" {
		t.Fatalf("messages = %+v", msgs)
	}
	if err := tr.Surface.Delete(ctx, second); err != nil {
		t.Fatal(err)
	}
	if !fake.Messages()[1].Deleted {
		t.Error("followup not deleted")
	}
}

func TestSlashCommandsRunEngineCommands(t *testing.T) {
	tests := []struct {
		name string
		cmd  string
		opts []dctest.Option
		want bots.Command
	}{
		{"reset", "reset", nil, bots.Command{Name: bots.CmdReset}},
		{"think on", "think", []dctest.Option{dctest.String("mode", "on")}, bots.Command{Name: bots.CmdThink, Args: "on"}},
		{"think shows", "think", nil, bots.Command{Name: bots.CmdThink}},
		{"stop", "stop", nil, bots.Command{Name: bots.CmdStop}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng := &fakeEngine{command: func(ctx context.Context, c bots.Command) error {
				_, err := c.Surface.Send(ctx, bots.Outgoing{Text: "done", ReplyTo: c.ReplyTo})
				return err
			}}
			b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
			b.interact(fake.Command(guildUser, tt.cmd, tt.opts...))
			cmds := eng.Commands()
			if len(cmds) != 1 {
				t.Fatalf("commands = %+v", cmds)
			}
			c := cmds[0]
			if c.Name != tt.want.Name || c.Args != tt.want.Args || c.Chat != "dc:g1:c1" || c.User != "dc:u1" {
				t.Errorf("command = %+v, want %+v", c, tt.want)
			}
			if cb := fake.Callbacks(); len(cb) != 1 || cb[0].Type != 5 {
				t.Errorf("callbacks = %+v", cb)
			}
			if m := fake.Messages(); len(m) != 1 || m[0].Kind != dctest.KindOriginal || m[0].Content != "done" {
				t.Errorf("messages = %+v", m)
			}
		})
	}
}

func TestStopButtonStopsChat(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	b.interact(fake.StopClick(guildUser, stopButtonID))
	if s := eng.Stops(); len(s) != 1 || s[0] != "dc:g1:c1/" {
		t.Errorf("stops = %v", s)
	}
	if cb := fake.Callbacks(); len(cb) != 1 || cb[0].Type != 6 {
		t.Errorf("callbacks = %+v, want a deferred update", cb)
	}
	b.interact(fake.StopClick(guildUser, "other:button"))
	if len(eng.Stops()) != 1 || len(fake.Callbacks()) != 1 {
		t.Error("a foreign button was handled")
	}
}

func TestInteractionAccess(t *testing.T) {
	tests := []struct {
		name   string
		cfg    func(*Config)
		who    dctest.Invoker
		refuse string
	}{
		{"DMs off", func(c *Config) { c.DMs = false }, dmUser, bots.NoticesFor("").DeniedDM()},
		{"guild not listed", func(c *Config) { c.AllowedGuilds = []string{"g9"} }, guildUser, bots.NoticesFor("").Denied()},
		{"channel not listed", func(c *Config) { c.AllowedChannels = []string{"c9"} }, guildUser, bots.NoticesFor("").Denied()},
		{"user not listed", func(c *Config) { c.AllowedUsers = []string{"u9"} }, guildUser, bots.NoticesFor("").Denied()},
		{"role listed", func(c *Config) { c.AllowedUsers = []string{"u9"}; c.AllowedRoles = []string{"r1"} }, withRoles(guildUser, "r1"), ""},
		{"admin passes lists", func(c *Config) { c.AllowedGuilds = []string{"g9"}; c.Admins = []string{"u1"} }, guildUser, ""},
		{"everything listed", func(c *Config) {
			c.AllowedGuilds, c.AllowedChannels, c.AllowedUsers = []string{"g1"}, []string{"c1"}, []string{"u1"}
		}, guildUser, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng := &fakeEngine{}
			cfg := testConfig(fake, botstest.NewFakeClock(epoch))
			tt.cfg(&cfg)
			b := newTestBot(t, fake, cfg, eng)
			b.interact(fake.Command(tt.who, "ask", dctest.String("prompt", "hi")))
			cbs := fake.Callbacks()
			if len(cbs) != 1 {
				t.Fatalf("callbacks = %+v", cbs)
			}
			if tt.refuse == "" {
				if cbs[0].Type != 5 || len(eng.Turns()) != 1 {
					t.Errorf("not served: callbacks %+v, turns %d", cbs, len(eng.Turns()))
				}
				return
			}
			if cbs[0].Type != 4 || cbs[0].Flags != int(discordgo.MessageFlagsEphemeral) || cbs[0].Content != tt.refuse {
				t.Errorf("callback = %+v, want ephemeral %q", cbs[0], tt.refuse)
			}
			if len(eng.Turns()) != 0 {
				t.Error("refused interaction reached the engine")
			}
		})
	}
}

// withRoles returns who with roles.
func withRoles(who dctest.Invoker, roles ...string) dctest.Invoker {
	who.Roles = roles
	return who
}

func TestAskImageLimits(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	cfg := testConfig(fake, botstest.NewFakeClock(epoch))
	cfg.MaxImages, cfg.MaxImageBytes = 1, int64(len(pngBytes))
	b := newTestBot(t, fake, cfg, eng)
	a1 := fake.AddAttachment("a.png", "image/png", pngBytes)
	a2 := fake.AddAttachment("b.png", "image/png", pngBytes)
	b.interact(fake.Command(guildUser, "ask", dctest.String("prompt", "compare"),
		dctest.Attachment("image", a1), dctest.Attachment("image2", a2)))
	tr := eng.onlyTurn(t)
	if len(tr.Images) != 1 {
		t.Errorf("images = %d, want 1", len(tr.Images))
	}
	msgs := fake.Messages()
	if len(msgs) != 2 || msgs[1].Kind != dctest.KindChannel || !strings.Contains(msgs[1].Content, "Only the first 1 images") {
		t.Fatalf("messages = %+v, want a channel note about the image limit", msgs)
	}
	if msgs[0].Kind != dctest.KindOriginal || len(msgs[0].Contents) != 0 {
		t.Errorf("original = %+v, want it left for the answer", msgs[0])
	}
	if n := eng.Notices(); len(n) != 1 || n[0].Chat != "dc:g1:c1" {
		t.Errorf("notices = %+v, want one through Engine.Notify", n)
	}
	if _, err := tr.Surface.Send(t.Context(), out("answer")); err != nil {
		t.Fatal(err)
	}
	if m := fake.Messages(); m[0].Content != "answer" {
		t.Errorf("original = %+v, want the answer", m[0])
	}
}

func TestSubmitFailureIsReported(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{submit: func(context.Context, bots.Turn) error { return errors.New("engine is shutting down") }}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	b.interact(fake.Command(guildUser, "ask", dctest.String("prompt", "hi")))
	msgs := fake.Messages()
	if len(msgs) != 1 || msgs[0].Content != bots.NoticesFor("").Restarting() {
		t.Errorf("messages = %+v, want the unavailable notice", msgs)
	}
}
