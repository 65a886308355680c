package telegram

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/bots/video"
	"github.com/qwenbot/qwenbot/bots/video/videotest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// startVideoE2E is startE2E with videos read by x (nil: video off).
func startVideoE2E(t *testing.T, x *video.Extractor) *e2e {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	e := &e2e{tg: tgtest.NewServer(t), model: llmtest.NewServer(t), clock: botstest.NewFakeClock(time.Now())}
	e.model.SetDefault(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
		[]string{"The answer ", "is **4**", ", because 2+2=4."}, llm.Usage{InputTokens: 900, OutputTokens: 12, TotalTokens: 912})})
	client, err := llm.New(e.model.Config(), e.model.Client(), log)
	if err != nil {
		t.Fatal(err)
	}
	e.store = e2eStore(t, log)
	e.eng = bots.New(bots.Config{Video: x}, client, e.store, log)
	cfg := Config{APIURL: e.tg.URL, PrivateEdit: time.Millisecond, GroupEdit: time.Millisecond,
		AlbumWait: time.Second, Clock: e.clock, RequestTimeout: 5 * time.Second}
	b, err := New(e.tg.Token, cfg, e.eng, e.tg.Client(), nil, log)
	if err != nil {
		t.Fatal(err)
	}
	runBot(t, b, e.eng)
	return e
}

// nativeVideo is a video item of a native request's newest message.
type nativeVideo struct {
	Video     []string `json:"video"`
	FPS       float64  `json:"fps"`
	MaxPixels int      `json:"max_pixels"`
}

// videosInLastMessage returns the video items of the newest user message
// of a native DashScope request, and how many images it has.
func videosInLastMessage(t *testing.T, r llmtest.Request) (vs []nativeVideo, images int) {
	t.Helper()
	var body struct {
		Input struct {
			Messages []struct {
				Content []struct {
					nativeVideo
					Image string `json:"image"`
				} `json:"content"`
			} `json:"messages"`
		} `json:"input"`
	}
	if err := json.Unmarshal(r.Raw, &body); err != nil || len(body.Input.Messages) == 0 {
		t.Fatalf("request body: %v", err)
	}
	for _, c := range body.Input.Messages[len(body.Input.Messages)-1].Content {
		if len(c.Video) > 0 {
			vs = append(vs, c.nativeVideo)
		}
		if c.Image != "" {
			images++
		}
	}
	return vs, images
}

func TestEndToEndVideos(t *testing.T) {
	mp4 := videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 160, Height: 120, Seconds: 2})
	gif := videotest.Clip(t, videotest.Spec{Format: "gif", Width: 96, Height: 64, Seconds: 2})
	chat := tgtest.PrivateChat(alice())
	clip := &tgtest.Clip{FileID: "v", Duration: 2, MimeType: "video/mp4"}
	tests := []struct {
		name       string
		data       []byte
		msgs       []tgtest.Message
		wantImages int
	}{
		{"video", mp4, []tgtest.Message{{Chat: chat, From: alice(), Video: clip, Caption: "what happens?"}}, 0},
		{"video note", mp4, []tgtest.Message{{Chat: chat, From: alice(), VideoNote: clip}}, 0},
		{"animation", mp4, []tgtest.Message{{Chat: chat, From: alice(), Animation: clip}}, 0},
		{"gif document", gif, []tgtest.Message{{Chat: chat, From: alice(),
			Document: &tgtest.Document{FileID: "v", FileName: "p.gif", MimeType: "image/gif"}}}, 0},
		{"mixed album", mp4, []tgtest.Message{
			{Chat: chat, From: alice(), MediaGroupID: "a", Photo: tgtest.Photo("p", 0), Caption: "compare"},
			{Chat: chat, From: alice(), MediaGroupID: "a", Video: clip}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := startVideoE2E(t, video.New(video.Config{FFmpeg: videotest.FFmpeg(t), TempDir: t.TempDir()}))
			e.tg.AddFile("v", tt.data)
			e.tg.AddFile("p", jpegBytes(t, 200))
			last := 0
			for _, m := range tt.msgs {
				last = e.tg.Push(m)
			}
			if len(tt.msgs) > 1 { // every part taken before the quiet period ends
				e.tg.WaitCall(t, "getUpdates", func(c tgtest.Call) bool { return c.Int("offset") > int64(last) })
				timers(t, e.clock, 1, "the album's quiet period")
				e.clock.Advance(time.Second)
			}
			e.finalReply(t, alice().ID)
			vs, images := videosInLastMessage(t, e.model.Requests()[0])
			if len(vs) != 1 || len(vs[0].Video) < video.MinFrames || vs[0].FPS < video.MinFPS || vs[0].FPS > video.MaxFPS {
				t.Fatalf("videos %+v, want one of at least %d frames", vs, video.MinFrames)
			}
			if vs[0].MaxPixels != 655360 || !strings.HasPrefix(vs[0].Video[0], "data:image/jpeg;base64,") {
				t.Errorf("max_pixels %d, first frame %.30q", vs[0].MaxPixels, vs[0].Video[0])
			}
			if images != tt.wantImages {
				t.Errorf("%d images, want %d", images, tt.wantImages)
			}
		})
	}
}

func TestEndToEndVideoNotices(t *testing.T) {
	tests := []struct {
		name string
		x    func(t *testing.T) *video.Extractor
		data []byte
		want string
	}{
		{"ffmpeg missing", func(*testing.T) *video.Extractor { return video.New(video.Config{FFmpeg: "/nonexistent/ffmpeg"}) },
			[]byte("clip"), "the video tools are missing"},
		{"corrupt file", func(t *testing.T) *video.Extractor {
			return video.New(video.Config{FFmpeg: videotest.FFmpeg(t), TempDir: t.TempDir()})
		}, []byte(strings.Repeat("\x00\x00\x00\x18ftypmp42", 40)), "read that video"},
		{"video off", func(*testing.T) *video.Extractor { return nil }, []byte("clip"), "Videos are turned off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := startVideoE2E(t, tt.x(t))
			e.tg.AddFile("v", tt.data)
			e.tg.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(),
				Video: &tgtest.Clip{FileID: "v", Duration: 2, MimeType: "video/mp4"}})
			e.tg.WaitFor(t, "the notice", func() bool {
				for _, m := range e.tg.Sent() {
					if strings.Contains(m.Text, tt.want) {
						return true
					}
				}
				return false
			})
			e.eng.Wait()
			if n := len(e.model.Requests()); n != 0 {
				t.Errorf("%d model requests, want none", n)
			}
			// Text questions still work.
			e.tg.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "what is 2+2?"})
			e.finalReply(t, alice().ID)
		})
	}
}
