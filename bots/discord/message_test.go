package discord

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestMentionInChannel(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	m := mention("500", "what is <@u7>'s favourite **prime**?")
	m.Mentions = append(m.Mentions, &discordgo.User{ID: "u7", Username: "carol"})
	att := fake.AddAttachment("photo.jpg", "image/jpeg", pngBytes)
	m.Attachments = []*discordgo.MessageAttachment{att, {ID: "9", Filename: "notes.txt", ContentType: "text/plain"}}

	b.receive(m)

	tr := eng.onlyTurn(t)
	want := bots.Turn{Chat: "dc:g1:c1", User: "dc:u1", Group: true, Text: "what is @carol's favourite **prime**?",
		Sender: bots.Sender{ID: "u1", Name: "Annie"}, ReplyTo: bots.MessageRef{ID: "c:500"}}
	if tr.Chat != want.Chat || tr.User != want.User || tr.Group != want.Group || tr.Text != want.Text ||
		tr.Sender != want.Sender || tr.ReplyTo != want.ReplyTo {
		t.Errorf("turn = %+v\nwant %+v", tr, want)
	}
	if len(tr.Images) != 1 || !bytes.Equal(tr.Images[0].Data, pngBytes) {
		t.Errorf("images = %+v, want the one image attachment", tr.Images)
	}

	ctx := t.Context()
	ref, err := tr.Surface.Send(ctx, bots.Outgoing{Text: "…", ReplyTo: tr.ReplyTo, StopButton: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Surface.Edit(ctx, ref, out("7")); err != nil {
		t.Fatal(err)
	}
	if err := tr.Surface.Typing(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages()
	if len(msgs) != 1 || msgs[0].ChannelID != "c1" || msgs[0].ReplyTo != "500" || msgs[0].Content != "7" || msgs[0].StopButton {
		t.Fatalf("messages = %+v", msgs)
	}
	if fake.Typing("c1") != 1 {
		t.Errorf("typing = %d", fake.Typing("c1"))
	}
	assertNoMentions(t, fake)
}

// assertNoMentions checks that every message create asked to ping nobody.
func assertNoMentions(t *testing.T, fake *dctest.Server) {
	t.Helper()
	for _, r := range fake.Requests() {
		if r.Method != "POST" || len(r.Body) == 0 {
			continue
		}
		var body struct {
			Content         *string `json:"content"`
			AllowedMentions *struct {
				Parse       []string `json:"parse"`
				RepliedUser bool     `json:"replied_user"`
			} `json:"allowed_mentions"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil || body.Content == nil {
			continue
		}
		if am := body.AllowedMentions; am == nil || am.Parse == nil || len(am.Parse) != 0 || am.RepliedUser {
			t.Errorf("%s %s: allowed_mentions = %+v, want none", r.Method, r.Path, am)
		}
	}
}

func TestMessageTriggers(t *testing.T) {
	botMsg := &discordgo.Message{ID: "400", Author: &discordgo.User{ID: dctest.BotID, Bot: true}}
	replyToBot := guildMessage("501", "and why?")
	replyToBot.Type, replyToBot.ReferencedMessage = discordgo.MessageTypeReply, botMsg
	replyToOther := guildMessage("502", "and why?")
	replyToOther.ReferencedMessage = &discordgo.Message{ID: "401", Author: &discordgo.User{ID: "u7"}}
	fromBot := mention("503", "hi")
	fromBot.Author.Bot = true
	dm := &discordgo.Message{ID: "504", ChannelID: "d2", Content: "hello", Author: &discordgo.User{ID: "u2", Username: "bob"}}
	legacy := guildMessage("505", "<@!"+dctest.BotID+"> hi")
	joined := mention("506", "")
	joined.Type = discordgo.MessageTypeGuildMemberJoin

	tests := []struct {
		name  string
		msg   *discordgo.Message
		dms   bool
		chat  string
		text  string
		taken bool
	}{
		{"reply to the bot", replyToBot, true, "dc:g1:c1", "and why?", true},
		{"reply to someone else", replyToOther, true, "", "", false},
		{"unaddressed", guildMessage("507", "hello all"), true, "", "", false},
		{"from a bot", fromBot, true, "", "", false},
		{"DM", dm, true, "dc:dm:d2", "hello", true},
		{"DM with DMs off", dm, false, "", "", false},
		{"nickname mention", legacy, true, "dc:g1:c1", "hi", true},
		{"system message", joined, true, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng := &fakeEngine{}
			cfg := testConfig(fake, botstest.NewFakeClock(epoch))
			cfg.DMs = tt.dms
			b := newTestBot(t, fake, cfg, eng)
			b.receive(tt.msg)
			ts := eng.Turns()
			if !tt.taken {
				if len(ts) != 0 {
					t.Fatalf("turns = %+v, want none", ts)
				}
				return
			}
			if len(ts) != 1 || ts[0].Chat != tt.chat || ts[0].Text != tt.text || ts[0].Group != (tt.msg.GuildID != "") {
				t.Fatalf("turns = %+v, want chat %q text %q", ts, tt.chat, tt.text)
			}
		})
	}
}

func TestMessageAccess(t *testing.T) {
	tests := []struct {
		name  string
		cfg   func(*Config)
		taken bool
	}{
		{"open", func(*Config) {}, true},
		{"guild listed", func(c *Config) { c.AllowedGuilds = []string{"g1"} }, true},
		{"guild not listed", func(c *Config) { c.AllowedGuilds = []string{"g2"} }, false},
		{"channel not listed", func(c *Config) { c.AllowedChannels = []string{"c2"} }, false},
		{"user not listed", func(c *Config) { c.AllowedUsers = []string{"u2"} }, false},
		{"role listed", func(c *Config) { c.AllowedRoles = []string{"r1"} }, true},
		{"role not listed", func(c *Config) { c.AllowedRoles = []string{"r2"} }, false},
		{"admin", func(c *Config) { c.AllowedRoles, c.Admins = []string{"r2"}, []string{"u1"} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng := &fakeEngine{}
			cfg := testConfig(fake, botstest.NewFakeClock(epoch))
			tt.cfg(&cfg)
			b := newTestBot(t, fake, cfg, eng)
			b.receive(mention("600", "hi"))
			if got := len(eng.Turns()) == 1; got != tt.taken {
				t.Errorf("taken = %v, want %v", got, tt.taken)
			}
			if len(fake.Messages()) != 0 {
				t.Error("a refused message was answered")
			}
		})
	}
}

func TestReplyWithImageOfReferencedMessage(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	cfg := testConfig(fake, botstest.NewFakeClock(epoch))
	cfg.PhotoPrompt = "Solve it."
	b := newTestBot(t, fake, cfg, eng)
	att := fake.AddAttachment("hw.webp", "", pngBytes)
	m := mention("700", "")
	m.ReferencedMessage = &discordgo.Message{ID: "699", Author: &discordgo.User{ID: "u7"},
		Attachments: []*discordgo.MessageAttachment{att}}
	b.receive(m)
	tr := eng.onlyTurn(t)
	if tr.Text != "Solve it." || len(tr.Images) != 1 || tr.Images[0].MIME != "image/webp" {
		t.Errorf("turn = %+v", tr)
	}
}

func TestThreadChannelAllowedByParent(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	cfg := testConfig(fake, botstest.NewFakeClock(epoch))
	cfg.AllowedChannels = []string{"c1"}
	b := newTestBot(t, fake, cfg, eng)
	thread := &discordgo.Channel{ID: "t1", GuildID: "g1", ParentID: "c1", Type: discordgo.ChannelTypeGuildPublicThread}
	if err := b.sess.State.GuildAdd(&discordgo.Guild{ID: "g1", Threads: []*discordgo.Channel{thread}}); err != nil {
		t.Fatal(err)
	}
	m := mention("800", "in a thread")
	m.ChannelID = "t1"
	b.receive(m)
	if tr := eng.onlyTurn(t); tr.Chat != "dc:g1:t1" {
		t.Errorf("chat = %q, want the thread's own key", tr.Chat)
	}
}
