package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestRunRegistersCommandsAndServesInteractions(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	cfg := testConfig(fake, clock)
	cfg.ApplicationID, cfg.DevGuildID, cfg.InteractionsListen = "", "g1", "127.0.0.1:0"
	b := newTestBot(t, fake, cfg, &fakeEngine{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	select {
	case <-b.started:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	if !b.Ready() {
		t.Error("not ready after start")
	}
	ows := fake.Overwrites()
	if len(ows) != 1 || ows[0].App != dctest.AppID || ows[0].Guild != "g1" {
		t.Fatalf("overwrites = %+v, want one in the dev guild", ows)
	}
	var names []string
	for _, c := range ows[0].Commands {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "ask,reset,think,stop,lang,settings,help,Solve with Qwen,Explain this" {
		t.Errorf("commands = %s", got)
	}
	status, body, err := fake.PostInteraction(ctx, "http://"+b.InteractionsAddr(), fake.Ping(), clock.Now())
	if err != nil || status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Fatalf("PING: %d %s %v", status, body, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v after cancel", err)
	}
	if b.Ready() {
		t.Error("ready after Run returned")
	}
	if b.enqueue("dc:g1:c1", func(context.Context) {}) || b.goOwned(&b.acks, func() {}) {
		t.Error("work accepted after Run returned")
	}
}

func TestRunRegistersGlobally(t *testing.T) {
	fake := dctest.New(t)
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), &fakeEngine{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	<-b.started
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ows := fake.Overwrites(); len(ows) != 1 || ows[0].Guild != "" {
		t.Errorf("overwrites = %+v, want one global", ows)
	}
	for _, r := range fake.Requests() {
		if strings.Contains(r.Path, "applications/@me") {
			t.Errorf("asked for the application id although it is configured: %s", r.Path)
		}
	}
}

func TestRunFailsWhenRegistrationFails(t *testing.T) {
	fake := dctest.New(t)
	fake.Inject(dctest.Error(http.MethodPut, "/applications/", http.StatusUnauthorized, 0, "401: Unauthorized"))
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), &fakeEngine{})
	err := b.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "register slash commands") {
		t.Fatalf("Run = %v, want a registration error", err)
	}
	if strings.Contains(err.Error(), dctest.Token) {
		t.Errorf("error shows the token: %v", err)
	}
	for _, r := range fake.Requests() {
		if auth := r.Header.Get("Authorization"); auth != "Bot "+dctest.Token {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, auth)
		}
	}
}

func TestCommandDefinitions(t *testing.T) {
	tests := []struct {
		name string
		dms  bool
		want []discordgo.InteractionContextType
	}{
		{"guilds only", false, []discordgo.InteractionContextType{discordgo.InteractionContextGuild}},
		{"with DMs", true, []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds := commands(tt.dms)
			data, err := json.Marshal(cmds)
			if err != nil {
				t.Fatal(err)
			}
			var got []struct {
				Name     string
				Contexts []discordgo.InteractionContextType
				Options  []struct {
					Name     string
					Type     int
					Required bool
				}
			}
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatal(err)
			}
			ask := got[0]
			if ask.Name != "ask" || len(ask.Options) != 4 || !ask.Options[0].Required ||
				ask.Options[1].Type != int(discordgo.ApplicationCommandOptionAttachment) ||
				ask.Options[3].Type != int(discordgo.ApplicationCommandOptionBoolean) {
				t.Errorf("ask = %+v", ask)
			}
			for _, c := range got {
				if len(c.Contexts) != len(tt.want) || c.Contexts[len(c.Contexts)-1] != tt.want[len(tt.want)-1] {
					t.Errorf("%s contexts = %v, want %v", c.Name, c.Contexts, tt.want)
				}
			}
		})
	}
}

func TestIntents(t *testing.T) {
	base := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if got := intents(false); got != base {
		t.Errorf("intents(false) = %b, want %b", got, base)
	}
	if got := intents(true); got != base|discordgo.IntentsMessageContent {
		t.Errorf("intents(true) = %b", got)
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name  string
		token string
		cfg   Config
		eng   engine
	}{
		{"empty token", "", Config{}, &fakeEngine{}},
		{"nil engine", "t", Config{}, nil},
		{"endpoint without key", "t", Config{InteractionsListen: ":0"}, &fakeEngine{}},
		{"bad key", "t", Config{PublicKey: "zz"}, &fakeEngine{}},
		{"short key", "t", Config{PublicKey: "abcd"}, &fakeEngine{}},
		{"relative api url", "t", Config{APIURL: "discord.example/api"}, &fakeEngine{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.token, tt.cfg, tt.eng, nil, nil, nil); err == nil {
				t.Error("New succeeded")
			}
		})
	}
}

func TestGatewayHandlersRunInOwnedGoroutines(t *testing.T) {
	fake := dctest.New(t)
	eng, turns := submitted()
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	b.onMessageCreate(b.sess, &discordgo.MessageCreate{Message: mention("1", "hi")})
	if tr := waitTurn(t, turns); tr.Chat != "dc:g1:c1" {
		t.Errorf("message turn chat = %q", tr.Chat)
	}
	b.onInteractionCreate(b.sess, &discordgo.InteractionCreate{Interaction: fake.Command(dmUser, "ask", dctest.String("prompt", "hi"))})
	if tr := waitTurn(t, turns); tr.Chat != "dc:dm:d2" {
		t.Errorf("interaction turn chat = %q", tr.Chat)
	}
	if cb := fake.Callbacks(); len(cb) != 1 || cb[0].Type != 5 {
		t.Errorf("callbacks = %+v", cb)
	}
	b.drain()
	b.onMessageCreate(b.sess, &discordgo.MessageCreate{Message: mention("2", "late")})
	if n := len(eng.Turns()); n != 2 {
		t.Errorf("%d turns after drain, want 2", n)
	}
}

func TestInteractionsAddrEmptyBeforeRun(t *testing.T) {
	fake := dctest.New(t)
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), &fakeEngine{})
	if a := b.InteractionsAddr(); a != "" {
		t.Errorf("InteractionsAddr = %q before Run", a)
	}
}

// lockedBuffer is a bytes.Buffer safe for a logger and a test at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestRunWithoutGatewayLogsTheBotsName(t *testing.T) {
	fake := dctest.New(t)
	cfg := testConfig(fake, botstest.NewFakeClock(epoch))
	cfg.Gateway = false
	var logs lockedBuffer
	b, err := New(dctest.Token, cfg, &fakeEngine{}, fake.Client(), nil, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	select {
	case <-b.started:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v after cancel", err)
	}
	if got := logs.String(); !strings.Contains(got, "msg=connected") || !strings.Contains(got, "name=qwenbot") || !strings.Contains(got, "invite=") {
		t.Errorf("start log %q, want the invite URL and the bot's name", got)
	}
}
