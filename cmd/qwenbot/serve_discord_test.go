package main

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
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

// TestServeDiscordImageProxySize sends /ask with a photo larger than the
// configured pixel budget: the bot downloads it through the media proxy
// at a smaller size (the budget reaches the Discord adapter), and the
// model gets the image. The budget and photo are small, so the test is
// quick under -race on a busy machine.
func TestServeDiscordImageProxySize(t *testing.T) {
	url, prefix, _ := testRedis(t)
	model := llmtest.NewServer(t)
	model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"A gradient."}, llm.Usage{InputTokens: 900, OutputTokens: 3, TotalTokens: 903})})
	fake := dctest.New(t)
	env := merge(serveEnv(model.URL, url, prefix), discordEnv(fake))
	env["QWENBOT_LLM_MAX_PIXELS"] = "200000"
	srv := startServe(t, env)

	photo := image.NewGray(image.Rect(0, 0, 1200, 900)) // 1.08 MP, over the budget
	for i := range photo.Pix {
		photo.Pix[i] = uint8(i / 37)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, photo, nil); err != nil {
		t.Fatal(err)
	}
	a := fake.AddAttachment("homework.jpg", "image/jpeg", buf.Bytes())
	who := dctest.Invoker{Guild: "g1", Channel: "c1", User: "u1", Username: "ann"}
	i := fake.Command(who, "ask", dctest.String("prompt", "what is this?"), dctest.Attachment("image", a))
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if status, body, err := fake.PostInteraction(ctx, "http://"+srv.ep.interactions.String(), i, time.Now()); err != nil || status != http.StatusOK {
		t.Fatalf("POST /ask = %d %s %v", status, body, err)
	}
	if r := recv(t, srv.turns.finished, "the turn to finish"); r.Outcome != "ok" {
		t.Errorf("turn report %+v", r)
	}
	d := fake.Downloads()
	if len(d) != 1 || !strings.HasPrefix(d[0], a.ID+"/homework.jpg@") {
		t.Errorf("downloads %q, want the photo once, resized by the media proxy", d)
	}
	reqs := model.Requests()
	if len(reqs) != 1 || !bytes.Contains(reqs[0].Raw, []byte("data:image/jpeg;base64,")) {
		t.Errorf("the model got %d requests, want one with the photo", len(reqs))
	}
	if code := srv.stop(t); code != exitOK {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
}
