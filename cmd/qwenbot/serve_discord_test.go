package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

func TestServeDiscordInteractionsEndpoint(t *testing.T) {
	url, prefix, rdb := testRedis(t)
	model := llmtest.NewServer(t)
	hold := make(chan struct{}) // the rest of the answer waits for its first words on screen
	model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
		[]string{"The answer ", "is **4**", ", because two plus two makes four."},
		llm.Usage{InputTokens: 40, OutputTokens: 12, TotalTokens: 52}), Hold: hold, HoldAfter: 1})
	fake := dctest.New(t)
	srv := startServe(t, merge(serveEnv(model.URL, url, prefix), discordEnv(fake)))
	fake.WaitFor(t, "the slash commands", func() bool { return len(fake.Overwrites()) == 1 })
	if ow := fake.Overwrites()[0]; ow.App != dctest.AppID || ow.Guild != "" || len(ow.Commands) == 0 {
		t.Errorf("command overwrite %+v, want the global commands of the application", ow)
	}

	who := dctest.Invoker{Guild: "g1", Channel: "c1", User: "u1", Username: "ann", GlobalName: "Ann"}
	i := fake.Command(who, "ask", dctest.String("prompt", "what is 2+2?"))
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	status, body, err := fake.PostInteraction(ctx, "http://"+srv.ep.interactions.String(), i, time.Now())
	if err != nil || status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":5}` {
		t.Fatalf("POST /ask = %d %s %v, want the deferred response", status, body, err)
	}
	status, _, err = fake.PostInteraction(ctx, "http://"+srv.ep.interactions.String(), fake.Ping(), time.Now().Add(-time.Hour))
	if err != nil || status != http.StatusUnauthorized {
		t.Errorf("stale signed PING = %d %v, want 401", status, err)
	}

	fake.WaitFor(t, "the first words", func() bool {
		for _, m := range fake.Messages() {
			if len(m.Contents) > 0 && m.Contents[0] == "The answer" {
				return true
			}
		}
		return false
	})
	close(hold)
	const answer = "The answer is **4**, because two plus two makes four."
	var final dctest.Message
	fake.WaitFor(t, "the final answer", func() bool {
		for _, m := range fake.Messages() {
			if m.Content == answer && !m.StopButton {
				final = m
				return true
			}
		}
		return false
	})
	if final.Kind != dctest.KindOriginal || final.Token != i.Token || len(final.Contents) < 2 {
		t.Errorf("answer in %+v, want the original response, edited", final)
	}
	if r := recv(t, srv.turns.finished, "the turn to finish"); r.Outcome != "ok" || r.Platform != "dc" {
		t.Errorf("turn report %+v", r)
	}
	turns := history(t, rdb, prefix, "dc:g1:c1")
	if len(turns) != 1 || !strings.Contains(turns[0].User, "what is 2+2?") || turns[0].Assistant != answer || turns[0].SenderID == "" {
		t.Errorf("stored turns = %+v", turns)
	}
	if code, body := srv.get(t, "/readyz"); code != http.StatusOK || !strings.Contains(body, "discord: ok") {
		t.Errorf("/readyz = %d %q, want discord ready", code, body)
	}
	if code := srv.stop(t); code != exitOK {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
}
