package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

// The real engine and stores satisfy what the adapter consumes.
var (
	_ engine  = (*bots.Engine)(nil)
	_ deduper = (*memory.Store)(nil)
	_ deduper = (*memory.Embedded)(nil)
)

// history is the store as the end-to-end tests use it.
type history interface {
	Load(ctx context.Context, chat string, maxTurns, maxImages int) (memory.History, error)
	Append(ctx context.Context, chat string, t memory.Turn, images ...memory.Image) error
	AppendIfLocked(ctx context.Context, chat string, l *memory.Lock, t memory.Turn, images ...memory.Image) error
	Reset(ctx context.Context, chat string) error
	Settings(ctx context.Context, chat string) (memory.Settings, error)
	SetSettings(ctx context.Context, chat string, s memory.Settings) error
	Lock(ctx context.Context, chat string, ttl time.Duration) (*memory.Lock, error)
	LockFor(ctx context.Context, chat, holder string, ttl time.Duration) (*memory.Lock, error)
	LockForAndLoad(ctx context.Context, chat, holder string, ttl time.Duration, maxTurns, maxImages int) (*memory.Lock, memory.History, error)
	AppendAndRelease(ctx context.Context, chat string, l *memory.Lock, t memory.Turn, images ...memory.Image) error
	AddUsage(ctx context.Context, counter string, n int64, ttl time.Duration) (int64, error)
	Usage(ctx context.Context, counter string) (int64, error)
}

// e2eStore returns a Redis store under a key prefix of the test's own
// (see memorytest.Redis for when the test is skipped).
func e2eStore(t *testing.T, log *slog.Logger) history {
	t.Helper()
	return memorytest.NewStore(t, memory.Config{}, log)
}

// e2e is the whole bot: fake Telegram, the real engine with a fake
// DashScope, and real history.
type e2e struct {
	tg    *tgtest.Server
	model *llmtest.Server
	eng   *bots.Engine
	store history
	clock *botstest.FakeClock
	bot   *Bot
}

func startE2E(t *testing.T) *e2e {
	t.Helper()
	return startGatedE2E(t, llmtest.NewFrameGate())
}

// startGatedE2E is startE2E with the model's streams held at g; the idle
// timeout outlasts tgtest's WaitFor, so a hold that is never opened fails
// the test at the WaitFor that should have opened it.
func startGatedE2E(t *testing.T, g *llmtest.FrameGate, opts ...func(*Config)) *e2e {
	t.Helper()
	return startE2EWith(t, g, opts...)
}

// startE2EWith is startGatedE2E with the Bot's Config changed by opts
// before the Bot starts.
func startE2EWith(t *testing.T, g *llmtest.FrameGate, opts ...func(*Config)) *e2e {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	x := &e2e{tg: tgtest.NewServer(t), model: llmtest.NewServer(t), clock: botstest.NewFakeClock(time.Now())}
	x.model.SetDefault(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
		[]string{"The answer ", "is **4**", ", because 2+2=4."}, llm.Usage{InputTokens: 900, OutputTokens: 12, TotalTokens: 912})})
	mcfg := x.model.Config()
	mcfg.IdleTimeout = 30 * time.Second
	client, err := llm.New(mcfg, g.Client(x.model.Client()), log)
	if err != nil {
		t.Fatal(err)
	}
	x.store = e2eStore(t, log)
	x.eng = bots.New(bots.Config{}, client, x.store, log)
	cfg := Config{APIURL: x.tg.URL, Drafts: true, PrivateEdit: time.Millisecond, GroupEdit: time.Millisecond,
		AlbumWait: time.Second, Clock: x.clock, RequestTimeout: 5 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	b, err := New(x.tg.Token, cfg, x.eng, x.tg.Client(), nil, log)
	if err != nil {
		t.Fatal(err)
	}
	x.bot = b
	runBot(t, b, x.eng)
	return x
}

// runBot runs b until the test ends, then shuts eng down.
func runBot(t *testing.T, b *Bot, eng *bots.Engine) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		if err := eng.Shutdown(sctx); err != nil {
			t.Errorf("engine Shutdown: %v", err)
		}
	})
}

// jpegBytes is a small real JPEG, so the image pipeline can decode it.
func jpegBytes(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.Set(3, 3, color.Black)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// finalReply waits for the formatted final answer in chat.
func (x *e2e) finalReply(t *testing.T, chat int64) tgtest.SentMessage {
	t.Helper()
	var final tgtest.SentMessage
	x.tg.WaitFor(t, "the final answer", func() bool {
		for _, m := range x.tg.Sent() {
			if m.ChatID == chat && strings.Contains(m.Text, "<b>4</b>") && strings.Contains(m.Text, "because") && m.Markup == "" {
				final = m
				return true
			}
		}
		return false
	})
	return final
}

// imagesInLastMessage counts the images of the newest user message of a
// native DashScope request.
func imagesInLastMessage(t *testing.T, r llmtest.Request) int {
	t.Helper()
	var body struct {
		Input struct {
			Messages []struct {
				Content json.RawMessage `json:"content"`
			} `json:"messages"`
		} `json:"input"`
	}
	if err := json.Unmarshal(r.Raw, &body); err != nil || len(body.Input.Messages) == 0 {
		t.Fatalf("request body: %v: %s", err, r.Raw)
	}
	var parts []map[string]any
	_ = json.Unmarshal(body.Input.Messages[len(body.Input.Messages)-1].Content, &parts)
	n := 0
	for _, p := range parts {
		if s, ok := p["image"].(string); ok && strings.HasPrefix(s, "data:image/") {
			n++
		}
	}
	return n
}

func TestEndToEndPrivatePhoto(t *testing.T) {
	gate := llmtest.NewFrameGate(1) // the rest of the answer waits for the first draft
	x := startGatedE2E(t, gate)
	x.tg.AddFile("hw", jpegBytes(t, 200))
	msgID := 4242
	x.tg.Push(tgtest.Message{ID: msgID, Chat: tgtest.PrivateChat(alice()), From: alice(), Photo: tgtest.Photo("hw", 0), Caption: "what is 2+2?"})
	x.tg.WaitCall(t, "sendMessageDraft", nil)
	gate.Open(1)
	final := x.finalReply(t, alice().ID)
	if final.ParseMode != "HTML" || final.ReplyTo != msgID {
		t.Errorf("final reply %+v: want HTML replying to %d", final, msgID)
	}
	if n := imagesInLastMessage(t, x.model.Requests()[0]); n != 1 {
		t.Errorf("model got %d images, want 1", n)
	}
	x.eng.Wait()
	h, err := x.store.Load(context.Background(), "tg:11", 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Turns) != 1 || h.Turns[0].User != "what is 2+2?" || !strings.Contains(h.Turns[0].Assistant, "4") || len(h.Turns[0].Images) != 1 {
		t.Errorf("stored turns = %+v", h.Turns)
	}
}

func TestEndToEndGroupOnlyWhenAddressed(t *testing.T) {
	x := startE2E(t)
	x.tg.AddFile("hw", jpegBytes(t, 120))
	group := tgtest.GroupChat(groupID)
	x.tg.Push(tgtest.Message{Chat: group, From: bob(), Photo: tgtest.Photo("hw", 0), Caption: "my homework"})
	x.tg.Push(tgtest.Message{Chat: group, From: bob(), Text: "anyone?"})
	x.tg.Push(tgtest.Message{Chat: group, From: alice(), Text: "@qwen_test_bot what is 2+2?"})
	x.finalReply(t, groupID)
	x.eng.Wait()
	if n := len(x.model.Requests()); n != 1 {
		t.Errorf("%d model requests, want only the addressed message's", n)
	}
	if n := len(x.tg.Calls("sendMessageDraft")); n != 0 {
		t.Errorf("%d drafts in a group", n)
	}
	h, err := x.store.Load(context.Background(), "tg:-1001234", 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Turns) != 1 || h.Turns[0].SenderName != "Alice Liddell" || h.Turns[0].User != "what is 2+2?" {
		t.Errorf("stored turns = %+v", h.Turns)
	}
}

func TestEndToEndAlbum(t *testing.T) {
	x := startE2E(t)
	chat := tgtest.PrivateChat(alice())
	last := 0
	for i, id := range []string{"a1", "a2", "a3"} {
		x.tg.AddFile(id, jpegBytes(t, uint8(60*i+30)))
		m := tgtest.Message{Chat: chat, From: alice(), MediaGroupID: "album", Photo: tgtest.Photo(id, 0)}
		if i == 0 {
			m.Caption = "solve all three"
		}
		last = x.tg.Push(m)
	}
	x.tg.WaitCall(t, "getUpdates", func(c tgtest.Call) bool { return c.Int("offset") > int64(last) })
	timers(t, x.clock, 1, "the album's quiet period")
	x.clock.Advance(time.Second)
	x.finalReply(t, alice().ID)
	reqs := x.model.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d model requests, want 1", len(reqs))
	}
	if n := imagesInLastMessage(t, reqs[0]); n != 3 {
		t.Errorf("model got %d images, want 3", n)
	}
}

// TestEndToEndGroup429Storm: Telegram answers a group's sends and edits with
// 429s; the chat waits out every retry_after before its next request, and
// the final answer still arrives and is stored.
func TestEndToEndGroup429Storm(t *testing.T) {
	x := startE2E(t)
	var mu sync.Mutex
	var calls []time.Time // send and edit calls for the group, in order
	limited := map[int]bool{}
	hook := func(c tgtest.Call) *tgtest.Failure {
		if c.Int("chat_id") != groupID {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, time.Now())
		if n := len(calls); n <= 3 {
			limited[n-1] = true
			f := tgtest.TooManyRequests(1)
			return &f
		}
		return nil
	}
	x.tg.OnCall("sendMessage", hook)
	x.tg.OnCall("editMessageText", hook)
	x.tg.Push(tgtest.Message{Chat: tgtest.GroupChat(groupID), From: alice(), Text: "@qwen_test_bot what is 2+2?"})
	x.finalReply(t, groupID)
	x.eng.Wait()

	mu.Lock()
	defer mu.Unlock()
	for i := range calls[:len(calls)-1] {
		if gap := calls[i+1].Sub(calls[i]); limited[i] && gap < time.Second {
			t.Errorf("request %d came %v after a 429 with retry_after 1", i+1, gap)
		}
	}
	if len(limited) != 3 {
		t.Errorf("%d requests rate limited, want 3", len(limited))
	}
	h, err := x.store.Load(context.Background(), "tg:-1001234", 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Turns) != 1 || !strings.Contains(h.Turns[0].Assistant, "because") {
		t.Errorf("stored turns = %+v", h.Turns)
	}
}
