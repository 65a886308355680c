package discord

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

// otherUser is someone else in g1/c1, whose message the bot is asked about.
var otherUser = dctest.Invoker{Guild: "g1", Channel: "c1", User: "u7", Username: "cat", GlobalName: "Cat"}

func TestMessageCommandsRegistered(t *testing.T) {
	cmds := map[string]*discordgo.ApplicationCommand{}
	for _, c := range commands(true) {
		cmds[c.Name] = c
	}
	for _, name := range []string{cmdSolve, cmdExplain} {
		c := cmds[name]
		switch {
		case c == nil:
			t.Errorf("%q not registered", name)
		case c.Type != discordgo.MessageApplicationCommand || c.Description != "":
			t.Errorf("%q: type %d, description %q; want a message command without one", name, c.Type, c.Description)
		case c.NameLocalizations == nil || (*c.NameLocalizations)[discordgo.ChineseCN] == "":
			t.Errorf("%q has no Chinese name", name)
		case c.Contexts == nil || len(*c.Contexts) != 2:
			t.Errorf("%q: contexts %v, want guilds and DMs like the slash commands", name, c.Contexts)
		}
	}
}

// photoMessage is otherUser's message with a photo attached and one in an
// embed.
func photoMessage(fake *dctest.Server, text string) *discordgo.Message {
	m := fake.UserMessage(otherUser, text, fake.AddAttachment("p1.png", "image/png", pngBytes))
	m.Embeds = []*discordgo.MessageEmbed{dctest.EmbedImage(fake.AddAttachment("p2.png", "image/png", pngBytes))}
	return m
}

func TestSolveWithQwen(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	target := photoMessage(fake, "x^2 = 4,\nfind x")
	b.interact(fake.MessageCommand(guildUser, cmdSolve, target))
	if cb := fake.Callbacks(); len(cb) != 1 || cb[0].Type != 5 || cb[0].Flags != 0 {
		t.Fatalf("callbacks = %+v, want one visible deferred response", cb)
	}
	tr := eng.onlyTurn(t)
	want := "Cat wrote:\n> x^2 = 4,\n> find x\n\n" + solvePrompt("en")
	if tr.Text != want || len(tr.Images) != 2 || tr.Chat != "dc:g1:c1" || tr.Sender.Name != "Annie" {
		t.Errorf("turn = %q with %d images in %s by %q, want %q with 2 in dc:g1:c1 by Annie",
			tr.Text, len(tr.Images), tr.Chat, tr.Sender.Name, want)
	}
	if _, ok := tr.Surface.(*interactionSurface); !ok {
		t.Errorf("surface %T, want the interaction's", tr.Surface)
	}
}

func TestExplainThis(t *testing.T) {
	tests := []struct {
		name     string
		followUp string
		other    bool // the modal is submitted to another replica
		want     string
	}{
		{"with a follow-up", "why step 2?", false, "why step 2?"},
		{"without one", "  ", false, explainPrompt("en")},
		{"submitted to another replica", "and 3?", true, "and 3?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng := &fakeEngine{}
			b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
			target := fake.UserMessage(otherUser, "2+2=5", fake.AddAttachment("p.png", "image/png", pngBytes))
			b.interact(fake.MessageCommand(guildUser, cmdExplain, target))
			cb := fake.Callbacks()
			if len(cb) != 1 || cb[0].Type != 9 || !strings.HasPrefix(cb[0].CustomID, explainModalPrefix) || cb[0].Title == "" {
				t.Fatalf("callbacks = %+v, want a modal", cb)
			}
			if len(eng.Turns()) != 0 {
				t.Fatal("a turn started before the modal was submitted")
			}
			submitTo := b
			if tt.other {
				submitTo = newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
			}
			submitTo.interact(fake.ModalSubmit(guildUser, cb[0].CustomID, map[string]string{explainInputID: tt.followUp}))
			if cb := fake.Callbacks(); len(cb) != 2 || cb[1].Type != 5 || cb[1].Flags != 0 {
				t.Fatalf("callbacks = %+v, want a visible deferred response to the modal", cb)
			}
			tr := eng.onlyTurn(t)
			if want := "Cat wrote:\n> 2+2=5\n\n" + tt.want; tr.Text != want || len(tr.Images) != 1 {
				t.Errorf("turn = %q with %d images, want %q with 1", tr.Text, len(tr.Images), want)
			}
		})
	}
}

func TestExplainTargetGone(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	b.interact(fake.ModalSubmit(guildUser, explainModalPrefix+"404", map[string]string{explainInputID: "?"}))
	if len(eng.Turns()) != 0 {
		t.Fatal("a turn started without its message")
	}
	if n := eng.Notices(); len(n) != 1 || n[0].Text != targetGoneText("en") {
		t.Errorf("notices = %+v, want that the message is gone", n)
	}
}

func TestMessageCommandsRespectAccess(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	cfg := testConfig(fake, botstest.NewFakeClock(epoch))
	cfg.AllowedUsers = []string{"u9"}
	b := newTestBot(t, fake, cfg, eng)
	target := photoMessage(fake, "hw")
	b.interact(fake.MessageCommand(guildUser, cmdSolve, target))
	b.interact(fake.MessageCommand(guildUser, cmdExplain, target))
	b.interact(fake.ModalSubmit(guildUser, explainModalPrefix+target.ID, nil))
	for _, cb := range fake.Callbacks() {
		if cb.Type != 4 || cb.Flags != int(discordgo.MessageFlagsEphemeral) {
			t.Errorf("callback %+v, want an ephemeral refusal", cb)
		}
	}
	if n := len(eng.Turns()); n != 0 {
		t.Errorf("%d turns from a user not allowed", n)
	}
}

func TestExplainOverHTTPEndpoint(t *testing.T) {
	fake := dctest.New(t)
	eng, turns := submitted()
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	srv := httptest.NewServer(b.InteractionsHandler())
	t.Cleanup(srv.Close)
	target := photoMessage(fake, "hw")
	resp := post(t, srv.URL, fake, fake.MessageCommand(guildUser, cmdExplain, target), epoch, false)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var modal struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data *struct {
			CustomID string `json:"custom_id"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&modal); err != nil {
		t.Fatal(err)
	}
	if modal.Type != discordgo.InteractionResponseModal || modal.Data == nil || modal.Data.CustomID != explainModalPrefix+target.ID {
		t.Fatalf("response %+v, want the modal", modal)
	}
	body, err := dctest.MarshalInteraction(fake.ModalSubmit(guildUser, modal.Data.CustomID, map[string]string{explainInputID: "why?"}))
	if err != nil {
		t.Fatal(err)
	}
	resp = post(t, srv.URL, fake, json.RawMessage(body), epoch.Add(time.Second), false)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("modal submit: status %d", resp.StatusCode)
	}
	if tr := waitTurn(t, turns); !strings.HasSuffix(tr.Text, "why?") || len(tr.Images) != 2 {
		t.Errorf("turn = %q with %d images", tr.Text, len(tr.Images))
	}
}

func TestReplyWithMentionToSomeonesMessage(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	m := mention("710", "what is wrong here?")
	m.Type, m.ReferencedMessage = discordgo.MessageTypeReply, photoMessage(fake, "my proof")
	m.Attachments = []*discordgo.MessageAttachment{fake.AddAttachment("mine.png", "image/png", pngBytes)}
	b.receive(m)
	tr := eng.onlyTurn(t)
	if want := "Cat wrote:\n> my proof\n\nwhat is wrong here?"; tr.Text != want || len(tr.Images) != 3 {
		t.Errorf("turn = %q with %d images, want %q with 3 (own, then the replied-to message's)", tr.Text, len(tr.Images), want)
	}
	if tr.ReplyTo != makeRef(kindChannel, "710") {
		t.Errorf("reply to %v, want the asker's message", tr.ReplyTo)
	}
}

var _ bots.Surface = (*interactionSurface)(nil)

func TestSlashCommandsLocalized(t *testing.T) {
	for _, c := range commands(false) {
		if c.Type == discordgo.MessageApplicationCommand {
			continue
		}
		if c.DescriptionLocalizations == nil || (*c.DescriptionLocalizations)[discordgo.ChineseCN] == "" {
			t.Errorf("/%s has no Chinese description", c.Name)
		}
		if c.NameLocalizations == nil || (*c.NameLocalizations)[discordgo.ChineseCN] == "" || (*c.NameLocalizations)[discordgo.ChineseTW] == "" {
			t.Errorf("/%s has no Chinese name", c.Name)
		}
		for _, o := range c.Options {
			if o.DescriptionLocalizations[discordgo.ChineseTW] == "" {
				t.Errorf("/%s %s has no Chinese description", c.Name, o.Name)
			}
		}
	}
}
