package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/bots/video"
	"github.com/qwenbot/qwenbot/bots/video/videotest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

// newVideoStack is newStack with videos read by x.
func newVideoStack(t *testing.T, x *video.Extractor) stack {
	t.Helper()
	model := llmtest.NewServer(t)
	log := slog.New(slog.DiscardHandler)
	client, err := llm.New(model.Config(), model.Client(), log)
	if err != nil {
		t.Fatal(err)
	}
	store := memorytest.NewStore(t, memory.Config{}, log)
	eng := bots.New(bots.Config{Video: x}, client, store, log)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = eng.Shutdown(ctx)
	})
	return stack{eng: eng, store: store, model: model}
}

// frameCounts returns, for each video item of the newest user message of
// a native request, its number of frames.
func frameCounts(t *testing.T, raw []byte) []int {
	t.Helper()
	var body struct {
		Input struct {
			Messages []struct {
				Content []struct {
					Video []string `json:"video"`
					FPS   float64  `json:"fps"`
				} `json:"content"`
			} `json:"messages"`
		} `json:"input"`
	}
	if err := json.Unmarshal(raw, &body); err != nil || len(body.Input.Messages) == 0 {
		t.Fatalf("request body: %v", err)
	}
	var out []int
	for _, c := range body.Input.Messages[len(body.Input.Messages)-1].Content {
		if len(c.Video) > 0 {
			out = append(out, len(c.Video))
		}
	}
	return out
}

func TestEndToEndDiscordVideos(t *testing.T) {
	mp4 := videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 160, Height: 120, Seconds: 2})
	gif := videotest.Clip(t, videotest.Spec{Format: "gif", Width: 96, Height: 64, Seconds: 2})
	tests := []struct {
		name, file, mime string
		data             []byte
		slash            bool
	}{
		{"mp4 attachment in a mention", "lab.mp4", "video/mp4", mp4, false},
		{"gif attachment in a mention", "step.gif", "image/gif", gif, false},
		{"mp4 given to /ask", "lab.mp4", "video/mp4", mp4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newVideoStack(t, video.New(video.Config{FFmpeg: videotest.FFmpeg(t), TempDir: t.TempDir()}))
			st.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"It falls."}, llm.Usage{TotalTokens: 15})})
			fake := dctest.New(t)
			cfg := testConfig(fake, bots.SystemClock{})
			cfg.EditInterval = 10 * time.Millisecond
			b := newTestBot(t, fake, cfg, st.eng)
			att := fake.AddAttachment(tt.file, tt.mime, tt.data)
			if tt.slash {
				b.interact(fake.Command(guildUser, "ask", dctest.String("prompt", "what happens?"), dctest.Attachment("image", att)))
			} else {
				m := mention("730", "what happens?")
				m.Attachments = []*discordgo.MessageAttachment{att}
				b.receive(m)
			}
			finalText(t, fake, "It falls.")
			st.eng.Wait()
			reqs := st.model.Requests()
			if len(reqs) != 1 || bytes.Contains(reqs[0].Raw, []byte(att.URL)) {
				t.Fatalf("%d requests, or the CDN URL was sent", len(reqs))
			}
			if n := frameCounts(t, reqs[0].Raw); len(n) != 1 || n[0] < video.MinFrames {
				t.Errorf("frames per video %v, want one video of at least %d", n, video.MinFrames)
			}
			h, err := st.store.Load(t.Context(), "dc:g1:c1", 10, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Turns) != 1 || !strings.HasPrefix(h.Turns[0].User, "[video]") || len(h.Turns[0].Images) != 0 {
				t.Errorf("history %+v, want the video's placeholder", h.Turns)
			}
		})
	}
}

func TestEndToEndDiscordVideoWithoutFFmpeg(t *testing.T) {
	st := newVideoStack(t, video.New(video.Config{FFmpeg: "/nonexistent/ffmpeg"}))
	fake := dctest.New(t)
	cfg := testConfig(fake, bots.SystemClock{})
	cfg.EditInterval = 10 * time.Millisecond
	b := newTestBot(t, fake, cfg, st.eng)
	m := mention("731", "what happens?")
	m.Attachments = []*discordgo.MessageAttachment{fake.AddAttachment("lab.mp4", "video/mp4", []byte("clip"))}
	b.receive(m)
	fake.WaitFor(t, "the notice", func() bool {
		for _, msg := range fake.Messages() {
			if strings.Contains(msg.Content, "video tools are missing") {
				return true
			}
		}
		return false
	})
	st.eng.Wait()
	if n := len(st.model.Requests()); n != 0 {
		t.Errorf("%d model requests, want none", n)
	}
}
