package bots

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/video"
	"github.com/qwenbot/qwenbot/bots/video/videotest"
	"github.com/qwenbot/qwenbot/llm"
)

// videoModel is the fake model with Qwen3-VL's video limits.
func videoModel() *fakeModel {
	m := newFakeModel()
	m.Info.Video, m.Info.VideoMinPixels, m.Info.VideoDefaultPixels = true, 4096, 655360
	m.Info.VideoMaxPixels, m.Info.VideoTotalPixels = 786432, 67108864
	m.Auto = func(llm.Request) []step { return answerSteps("ok") }
	return m
}

func videoParts(req llm.Request) []*llm.Video {
	var out []*llm.Video
	for _, p := range req.Messages[len(req.Messages)-1].Parts {
		if p.Video != nil {
			out = append(out, p.Video)
		}
	}
	return out
}

func TestEngineSendsVideoFramesOnce(t *testing.T) {
	ff := videotest.FFmpeg(t)
	m := videoModel()
	store := newEmbeddedStore(t)
	x := video.New(video.Config{FFmpeg: ff, TempDir: t.TempDir(), Log: quietLog()})
	e := newTestEngine(t, Config{Video: x, VideoFramePixels: 160 * 120}, m, store)
	s := newRecSurface()
	turn := turnFor("tg:1", "what happens?", s)
	turn.Videos = []Upload{{Data: videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 320, Height: 240, Seconds: 3}), MIME: "video/mp4"}}
	if err := e.Submit(context.Background(), turn); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	vs := videoParts(m.Requests()[0])
	if len(vs) != 1 || len(vs[0].Frames) != 6 || vs[0].FPS != 2 || vs[0].MaxPixels != 160*120 {
		t.Fatalf("video parts %+v, want one of 6 frames at 2 fps with max_pixels %d", vs, 160*120)
	}
	turns := loadTurns(t, store, "tg:1")
	if len(turns) != 1 || turns[0].User != "[video] what happens?" {
		t.Fatalf("stored %+v, want the placeholder then the text", turns)
	}
	if err := e.Submit(context.Background(), turnFor("tg:1", "and then?", s)); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	later := m.Requests()[1]
	for _, msg := range later.Messages {
		for _, p := range msg.Parts {
			if p.Video != nil {
				t.Fatal("a later turn re-sent the video's frames")
			}
		}
	}
	if got := strings.Join(userTexts(later), "|"); !strings.Contains(got, "[video] what happens?") {
		t.Errorf("later prompt %q lacks the placeholder", got)
	}
}

func TestEngineVideoNotices(t *testing.T) {
	clip := func(t *testing.T, secs float64) []byte {
		return videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 64, Height: 48, Seconds: secs})
	}
	cat := enCatalog()
	tests := []struct {
		name  string
		cfg   func(t *testing.T) Config
		model func(*fakeModel)
		data  func(t *testing.T) []byte
		want  string
	}{
		{"video off", func(*testing.T) Config { return Config{} }, nil,
			func(*testing.T) []byte { return []byte("x") }, cat.VideoOff},
		{"ffmpeg missing", func(t *testing.T) Config {
			return Config{Video: video.New(video.Config{FFmpeg: "/nonexistent/ffmpeg"})}
		}, nil, func(*testing.T) []byte { return []byte("x") }, cat.VideoNoFFmpeg},
		{"model without video", func(t *testing.T) Config {
			return Config{Video: video.New(video.Config{FFmpeg: videotest.FFmpeg(t)})}
		}, func(m *fakeModel) { m.Info.Video = false }, func(t *testing.T) []byte { return clip(t, 1) }, cat.VideoModel},
		{"too long", func(t *testing.T) Config {
			return Config{Video: video.New(video.Config{FFmpeg: videotest.FFmpeg(t), MaxDuration: 90 * time.Second, TempDir: t.TempDir()})}
		}, nil, func(t *testing.T) []byte { return clip(t, 91) }, fmt.Sprintf(cat.VideoTooLong, "1 min 30 s")},
		{"too large", func(t *testing.T) Config {
			return Config{Video: video.New(video.Config{FFmpeg: videotest.FFmpeg(t), MaxBytes: 1 << 20})}
		}, nil, func(*testing.T) []byte { return make([]byte, 1<<20+1) }, fmt.Sprintf(cat.VideoTooLarge, "1 MB")},
		{"corrupt", func(t *testing.T) Config {
			return Config{Video: video.New(video.Config{FFmpeg: videotest.FFmpeg(t), TempDir: t.TempDir()})}
		}, nil, func(*testing.T) []byte { return []byte(strings.Repeat("garbage", 500)) }, cat.VideoUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := videoModel()
			if tt.model != nil {
				tt.model(m)
			}
			e := newTestEngine(t, tt.cfg(t), m, newEmbeddedStore(t))
			s := newRecSurface()
			turn := turnFor("tg:1", "", s)
			turn.Videos = []Upload{{Data: tt.data(t), MIME: "video/mp4"}}
			if err := e.Submit(context.Background(), turn); err != nil {
				t.Fatal(err)
			}
			s.WaitText(t, tt.want)
			e.Wait()
			if n := len(m.Requests()); n != 0 {
				t.Errorf("%d model requests, want none", n)
			}
		})
	}
}

// TestVideoBoundsAgree: the frame reader and the request builder hold the
// same frame-list bounds.
func TestVideoBoundsAgree(t *testing.T) {
	if video.MinFrames != llm.MinVideoFrames || video.MaxFrames != llm.MaxVideoFrames ||
		video.MinFPS != llm.MinVideoFPS || video.MaxFPS != llm.MaxVideoFPS {
		t.Error("bots/video and llm disagree on the frame-list bounds")
	}
}

func TestEngineVideoPrompt(t *testing.T) {
	m := videoModel()
	x := video.New(video.Config{FFmpeg: videotest.FFmpeg(t), TempDir: t.TempDir(), Log: quietLog()})
	e := newTestEngine(t, Config{Video: x}, m, newEmbeddedStore(t))
	turn := turnFor("tg:1", "", newRecSurface())
	turn.Videos = []Upload{{Data: videotest.Clip(t, videotest.Spec{Format: "gif", Width: 32, Height: 32, Seconds: 1}), MIME: "image/gif"}}
	if err := e.Submit(context.Background(), turn); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	texts := userTexts(m.Requests()[0])
	if len(texts) == 0 || texts[len(texts)-1] != enCatalog().VideoPrompt {
		t.Errorf("prompt %q, want the video prompt", texts)
	}
}

// TestEngineChargesFramesWithoutUsage: a video turn whose model reported
// no usage counts its frames' estimated tokens against the budgets.
func TestEngineChargesFramesWithoutUsage(t *testing.T) {
	m := videoModel()
	m.Auto = func(llm.Request) []step {
		return []step{{ev: llmAnswer("ok")}, {ev: llm.Event{Kind: llm.EventDone, FinishReason: "stop"}}}
	}
	store := newEmbeddedStore(t)
	clock := botstest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	x := video.New(video.Config{FFmpeg: videotest.FFmpeg(t), TempDir: t.TempDir(), Log: quietLog()})
	e := newTestEngine(t, Config{Video: x, VideoFramePixels: 64 * 64, DailyUserTokens: 1 << 20, Clock: clock}, m, store)
	turn := turnFor("tg:1", "what?", newRecSurface())
	turn.Videos = []Upload{{Data: videotest.Clip(t, videotest.Spec{Format: "mp4", Width: 64, Height: 64, Seconds: 2}), MIME: "video/mp4"}}
	if err := e.Submit(context.Background(), turn); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	used, err := store.Usage(context.Background(), counterKey("user", turn.User, clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(4 * (64*64/1024 + 2)); used != want {
		t.Errorf("charged %d tokens, want the 4 frames' %d", used, want)
	}
}
