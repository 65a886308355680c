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

// TestServeDiscordImageProxySize sends /ask with a photo larger than the
// model's pixel budget: the bot downloads it through the media proxy at a
// smaller size (the budget reaches the Discord adapter), and the model
// gets the image.
func TestServeDiscordImageProxySize(t *testing.T) {
	url, prefix, _ := testRedis(t)
	model := llmtest.NewServer(t)
	model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"A gradient."}, llm.Usage{InputTokens: 900, OutputTokens: 3, TotalTokens: 903})})
	fake := dctest.New(t)
	srv := startServe(t, merge(serveEnv(model.URL, url, prefix), discordEnv(fake)))

	photo := image.NewGray(image.Rect(0, 0, 2400, 1800)) // 4.3 MP, over every model's default budget
	for i := range photo.Pix {
		photo.Pix[i] = uint8(i / 97)
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
