package discord

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// gatewayConfig is testConfig with the gateway on and fast edits.
func gatewayConfig(fake *dctest.Server) Config {
	cfg := testConfig(fake, bots.SystemClock{})
	cfg.Gateway = true
	cfg.EditInterval = 10 * time.Millisecond
	return cfg
}

// newGatewayBot returns a Bot that has not seen READY, for Run to connect.
func newGatewayBot(t *testing.T, fake *dctest.Server, cfg Config, eng engine) *Bot {
	t.Helper()
	b, err := New(dctest.Token, cfg, eng, fake.Client(), nil, slogTo(t.Output()))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runBot runs b until the test ends, and returns once it has started (the
// gateway's READY handled) or Run failed early.
func runBot(t *testing.T, b *Bot) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case <-b.started:
	case err := <-done:
		done <- err
		t.Fatalf("Run: %v", err)
	}
}

func TestGatewayEndToEnd(t *testing.T) {
	tests := []struct {
		name string
		send func(t *testing.T, fake *dctest.Server, gw *dctest.Gateway)
		chat string
		kind string // of the answer's message
		user string // in the stored turn
	}{
		{"mention with a photo", func(t *testing.T, fake *dctest.Server, gw *dctest.Gateway) {
			m := mention("900", "what is it?")
			m.Attachments = []*discordgo.MessageAttachment{fake.AddAttachment("q.png", "image/png", realPNG(t))}
			gw.MessageCreate(m)
		}, "dc:g1:c1", dctest.KindChannel, "what is it?"},
		{"reply to the bot without a mention", func(t *testing.T, _ *dctest.Server, gw *dctest.Gateway) {
			m := guildMessage("901", "and why?")
			m.Type = discordgo.MessageTypeReply
			m.ReferencedMessage = &discordgo.Message{ID: "800", ChannelID: "c1", Content: "Because.",
				Author: &discordgo.User{ID: dctest.BotID, Username: "qwenbot", Bot: true}}
			gw.MessageCreate(m)
		}, "dc:g1:c1", dctest.KindChannel, "and why?"},
		{"DM", func(t *testing.T, _ *dctest.Server, gw *dctest.Gateway) {
			gw.MessageCreate(&discordgo.Message{ID: "902", ChannelID: "d2", Content: "hello",
				Type: discordgo.MessageTypeDefault, Author: &discordgo.User{ID: "u2", Username: "bob"}})
		}, "dc:dm:d2", dctest.KindChannel, "hello"},
		{"/ask", func(t *testing.T, fake *dctest.Server, gw *dctest.Gateway) {
			gw.InteractionCreate(fake.Command(guildUser, "ask", dctest.String("prompt", "what now?")))
		}, "dc:g1:c1", dctest.KindOriginal, "what now?"},
		{"Apps → Solve with Qwen", func(t *testing.T, fake *dctest.Server, gw *dctest.Gateway) {
			target := fake.UserMessage(otherUser, "x^2 = 4", fake.AddAttachment("q.png", "image/png", realPNG(t)))
			gw.InteractionCreate(fake.MessageCommand(guildUser, cmdSolve, target))
		}, "dc:g1:c1", dctest.KindOriginal, "> x^2 = 4"},
		{"Apps → Explain this", func(t *testing.T, fake *dctest.Server, gw *dctest.Gateway) {
			target := fake.UserMessage(otherUser, "2+2=5", fake.AddAttachment("q.png", "image/png", realPNG(t)))
			gw.InteractionCreate(fake.MessageCommand(guildUser, cmdExplain, target))
			fake.WaitFor(t, "the modal", func() bool { return len(fake.Callbacks()) == 1 })
			gw.InteractionCreate(fake.ModalSubmit(guildUser, fake.Callbacks()[0].CustomID,
				map[string]string{explainInputID: "where is the mistake?"}))
		}, "dc:g1:c1", dctest.KindOriginal, "> 2+2=5\n\nwhere is the mistake?"},
		{"reply with a mention to someone's photo", func(t *testing.T, fake *dctest.Server, gw *dctest.Gateway) {
			m := mention("903", "what is wrong here?")
			m.Type = discordgo.MessageTypeReply
			m.ReferencedMessage = fake.UserMessage(otherUser, "my proof", fake.AddAttachment("q.png", "image/png", realPNG(t)))
			gw.MessageCreate(m)
		}, "dc:g1:c1", dctest.KindChannel, "> my proof\n\nwhat is wrong here?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStack(t)
			st.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
				[]string{"The answer", " is 42."}, llm.Usage{TotalTokens: 15})})
			fake := dctest.New(t)
			gw := dctest.NewGateway(fake)
			b := newGatewayBot(t, fake, gatewayConfig(fake), st.eng)
			runBot(t, b)
			if !b.Ready() {
				t.Fatal("not ready once the gateway is connected")
			}
			if ids := gw.Identifies(); len(ids) != 1 || ids[0].Intents&discordgo.IntentsMessageContent == 0 {
				t.Fatalf("identifies = %+v, want one asking for message content", ids)
			}
			tt.send(t, fake, gw)
			msgs := finalText(t, fake, "The answer is 42.")
			if msgs[0].Kind != tt.kind {
				t.Errorf("answer in a %s message, want %s", msgs[0].Kind, tt.kind)
			}
			st.eng.Wait()
			h, err := st.store.Load(t.Context(), tt.chat, 10, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Turns) != 1 || !strings.Contains(h.Turns[0].User, tt.user) || h.Turns[0].Assistant != "The answer is 42." {
				t.Fatalf("history of %s = %+v", tt.chat, h.Turns)
			}
		})
	}
}

func TestGatewayResumesMidAnswer(t *testing.T) {
	gate := llmtest.NewFrameGate(1) // hold the answer after its first chunk
	st := newGatedStack(t, gate)
	st.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
		[]string{"First half,", " second half."}, llm.Usage{TotalTokens: 15})})
	fake := dctest.New(t)
	gw := dctest.NewGateway(fake)
	b := newGatewayBot(t, fake, gatewayConfig(fake), st.eng)
	runBot(t, b)
	// Added after Run's own handlers, which run first: these see Ready()
	// as /readyz does right after each disconnect and resume.
	readiness := make(chan bool, 4)
	b.sess.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { readiness <- b.Ready() })
	b.sess.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { readiness <- b.Ready() })

	m := mention("910", "tell me")
	gw.MessageCreate(m)
	finalText(t, fake, "First half,")
	// The resume is answered only once released, so the bot, reconnecting
	// at once, is still down when the disconnect handler looks.
	release := make(chan struct{})
	gw.HoldResume(release)
	gw.Drop()
	if ready := waitBool(t, readiness, "the disconnect"); ready {
		t.Error("ready while the gateway is down")
	}
	fake.WaitFor(t, "the resume", func() bool { return len(gw.Resumes()) == 1 })
	if b.Ready() {
		t.Error("ready while the resume is unanswered")
	}
	// Discord may deliver an event again after a resume: the same message,
	// a later sequence number, sent when the client resumes.
	gw.MessageCreate(m)
	close(release)
	if ready := waitBool(t, readiness, "the resume"); !ready {
		t.Error("not ready after resuming")
	}
	if r := gw.Resumes(); len(r) != 1 || len(gw.Identifies()) != 1 {
		t.Errorf("resumes %+v after %d identifies, want one resume of the first session", r, len(gw.Identifies()))
	}
	gate.Open(1)
	finalText(t, fake, "First half, second half.")
	st.eng.Wait()
	b.wait()
	if n := len(st.model.Requests()); n != 1 {
		t.Errorf("model asked %d times, want once", n)
	}
	h, err := st.store.Load(t.Context(), "dc:g1:c1", 10, 10)
	if err != nil || len(h.Turns) != 1 {
		t.Fatalf("history = %+v, %v; want one turn", h.Turns, err)
	}
}

func TestGatewayInvalidSession(t *testing.T) {
	fake := dctest.New(t)
	gw := dctest.NewGateway(fake)
	eng, turns := submitted()
	b := newGatewayBot(t, fake, gatewayConfig(fake), eng)
	runBot(t, b)
	gw.InvalidateSession()
	gw.Drop()
	fake.WaitFor(t, "a new session", func() bool { return len(gw.Identifies()) == 2 && gw.Connected() })
	gw.MessageCreate(&discordgo.Message{ID: "920", ChannelID: "d2", Content: "still there?",
		Type: discordgo.MessageTypeDefault, Author: &discordgo.User{ID: "u2", Username: "bob"}})
	if tr := waitTurn(t, turns); tr.Text != "still there?" {
		t.Errorf("turn %q", tr.Text)
	}
	fake.WaitFor(t, "ready again", b.Ready)
}

func TestGatewayRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(gw *dctest.Gateway)
		want  []string
	}{
		{"disallowed intents", func(gw *dctest.Gateway) { gw.SetPrivileged(0) },
			[]string{"4014", "enable Message Content", "discord.message_content = false"}},
		{"wrong token", func(gw *dctest.Gateway) { gw.SetToken("another-token") },
			[]string{"4004", "token is wrong", "DISCORD_BOT_TOKEN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			gw := dctest.NewGateway(fake)
			tt.setup(gw)
			b := newGatewayBot(t, fake, gatewayConfig(fake), &fakeEngine{})
			err := b.Run(t.Context())
			if !errors.Is(err, ErrGatewayRefused) {
				t.Fatalf("Run = %v, want ErrGatewayRefused", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if b.Ready() {
				t.Error("ready after the gateway refused")
			}
		})
	}
}

// waitBool receives from ch, failing the test after 10 seconds.
func waitBool(t *testing.T, ch <-chan bool, what string) bool {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		return false
	}
}

func TestGatewayRefusedOnReconnect(t *testing.T) {
	fake := dctest.New(t)
	gw := dctest.NewGateway(fake)
	b := newGatewayBot(t, fake, gatewayConfig(fake), &fakeEngine{})
	done := make(chan error, 1)
	go func() { done <- b.Run(t.Context()) }()
	select {
	case <-b.started:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	gw.SetToken("reset-token") // the token was reset in the Developer Portal
	gw.Drop()
	select {
	case err := <-done:
		if !errors.Is(err, ErrGatewayRefused) || !strings.Contains(err.Error(), "token is wrong") {
			t.Errorf("Run = %v, want the refusal", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run still running after the gateway refused the reconnect")
	}
	if r := gw.Resumes(); len(r) != 1 {
		t.Errorf("resumes = %+v, want the one refused", r)
	}
	if b.Ready() {
		t.Error("ready after the refusal")
	}
}

func TestGatewayReconnectBacksOff(t *testing.T) {
	fake := dctest.New(t)
	gw := dctest.NewGateway(fake)
	clock := botstest.NewFakeClock(epoch)
	cfg := gatewayConfig(fake)
	cfg.Clock = clock
	eng, turns := submitted()
	b := newGatewayBot(t, fake, cfg, eng)
	runBot(t, b)
	gw.RefuseConnections(1)
	gw.Drop()
	if err := clock.BlockUntilContext(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	if b.Ready() || gw.Connected() {
		t.Fatal("connected while waiting to retry")
	}
	clock.Advance(firstReconnectWait)
	fake.WaitFor(t, "the resumed session", func() bool { return gw.Connected() && len(gw.Resumes()) == 1 })
	gw.MessageCreate(&discordgo.Message{ID: "940", ChannelID: "d2", Content: "back?",
		Type: discordgo.MessageTypeDefault, Author: &discordgo.User{ID: "u2", Username: "bob"}})
	if tr := waitTurn(t, turns); tr.Text != "back?" {
		t.Errorf("turn %q", tr.Text)
	}
	fake.WaitFor(t, "ready after reconnecting", b.Ready)
}
