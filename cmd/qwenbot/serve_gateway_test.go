package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// gatewayEnv is discordEnv with the gateway on and no interactions
// endpoint.
func gatewayEnv(dc *dctest.Server) map[string]string {
	env := discordEnv(dc)
	env["QWENBOT_DISCORD_GATEWAY"] = "true"
	env["QWENBOT_DISCORD_INTERACTIONS_LISTEN"] = ""
	return env
}

func TestServeDiscordGatewayReadiness(t *testing.T) {
	url, prefix, rdb := testRedis(t)
	model := llmtest.NewServer(t)
	model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"Hi there."}, llm.Usage{TotalTokens: 5})})
	fake := dctest.New(t)
	gw := dctest.NewGateway(fake)
	srv := startServe(t, merge(serveEnv(model.URL, url, prefix), gatewayEnv(fake)))
	fake.WaitFor(t, "the gateway session", func() bool { return gw.Connected() && gw.Heartbeats() == 1 })
	if code, body := srv.get(t, "/readyz"); code != http.StatusOK || !strings.Contains(body, "discord: ok") {
		t.Fatalf("/readyz = %d %q, want discord ready", code, body)
	}

	gw.MessageCreate(&discordgo.Message{ID: "930", ChannelID: "d9", Content: "hello", Type: discordgo.MessageTypeDefault,
		Author: &discordgo.User{ID: "u9", Username: "dee"}})
	if r := recv(t, srv.turns.finished, "the DM's turn"); r.Outcome != "ok" {
		t.Errorf("turn report %+v", r)
	}
	if turns := history(t, rdb, prefix, "dc:dm:d9"); len(turns) != 1 || turns[0].Assistant != "Hi there." {
		t.Errorf("stored turns = %+v", turns)
	}

	release := make(chan struct{})
	gw.HoldResume(release)
	gw.Drop()
	// discordgo reports the disconnect before it sends RESUME.
	fake.WaitFor(t, "the client to resume", func() bool { return len(gw.Resumes()) == 1 })
	code, body := srv.get(t, "/readyz")
	close(release)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "discord") {
		t.Errorf("/readyz while the gateway is down = %d %q, want 503 naming discord", code, body)
	}
	// The first heartbeat of the resumed connection follows RESUMED.
	fake.WaitFor(t, "the resumed session", func() bool { return gw.Connected() && gw.Heartbeats() == 2 })
	if code, body := srv.get(t, "/readyz"); code != http.StatusOK {
		t.Errorf("/readyz after the resume = %d %q, want 200", code, body)
	}
	if code := srv.stop(t); code != exitOK {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
}

func TestServeDiscordGatewayRefused(t *testing.T) {
	tests := []struct {
		name  string
		setup func(gw *dctest.Gateway)
		want  string
	}{
		{"disallowed intents", func(gw *dctest.Gateway) { gw.SetPrivileged(0) }, "or set discord.message_content = false"},
		{"wrong token", func(gw *dctest.Gateway) { gw.SetToken("reset-token") }, "the bot token is wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, prefix, _ := testRedis(t)
			model := llmtest.NewServer(t)
			fake := dctest.New(t)
			tt.setup(dctest.NewGateway(fake))
			stderr := &syncBuffer{}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan int, 1)
			go func() {
				done <- runWith(ctx, runOptions{}, []string{"serve"},
					envMap(merge(serveEnv(model.URL, url, prefix), gatewayEnv(fake))), io.Discard, stderr)
			}()
			select {
			case code := <-done:
				if code != exitError || !strings.Contains(stderr.String(), tt.want) {
					t.Errorf("exit %d with\n%s\nwant %d and %q", code, stderr.String(), exitError, tt.want)
				}
			case <-time.After(waitLimit):
				t.Fatalf("serve did not exit; output:\n%s", stderr.String())
			}
		})
	}
}
