package discord

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
	"github.com/qwenbot/qwenbot/memory"
	"github.com/qwenbot/qwenbot/memory/memorytest"
)

var _ engine = (*bots.Engine)(nil)

// stack is the real engine wired to a fake model and a real Redis.
type stack struct {
	eng   *bots.Engine
	store *memory.Store
	model *llmtest.Server
}

// newStack builds the engine on a fresh key prefix in the test Redis.
func newStack(t *testing.T) stack {
	t.Helper()
	return newGatedStack(t, llmtest.NewFrameGate())
}

// newGatedStack is newStack with the model's streams held at g; the idle
// timeout outlasts the fake's WaitFor, so a hold that is never opened
// fails the test at the WaitFor that should have opened it.
func newGatedStack(t *testing.T, g *llmtest.FrameGate) stack {
	t.Helper()
	return newConfiguredStack(t, g, bots.Config{})
}

// newConfiguredStack is newGatedStack with the engine configured by ecfg.
func newConfiguredStack(t *testing.T, g *llmtest.FrameGate, ecfg bots.Config) stack {
	t.Helper()
	model := llmtest.NewServer(t)
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := model.Config()
	cfg.IdleTimeout = 30 * time.Second
	client, err := llm.New(cfg, g.Client(model.Client()), log)
	if err != nil {
		t.Fatal(err)
	}
	store := memorytest.NewStore(t, memory.Config{}, log)
	eng := bots.New(ecfg, client, store, log)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = eng.Shutdown(ctx)
	})
	return stack{eng: eng, store: store, model: model}
}

// realPNG is a small valid PNG image.
func realPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 32))
	for x := range 48 {
		img.Set(x, x%32, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// finalText waits until the bot's visible messages, joined, equal want.
func finalText(t *testing.T, fake *dctest.Server, want string) []dctest.Message {
	t.Helper()
	var msgs []dctest.Message
	fake.WaitFor(t, "the final answer", func() bool {
		msgs = fake.Messages()
		var parts []string
		for _, m := range msgs {
			if !m.Deleted {
				parts = append(parts, m.Content)
			}
		}
		return strings.Join(parts, "") == want || strings.Join(parts, "\n") == want
	})
	return msgs
}

func TestEndToEndAsk(t *testing.T) {
	tests := []struct {
		name string
		http bool
	}{
		{"HTTP endpoint", true},
		{"gateway", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gate := llmtest.NewFrameGate(1) // hold the second chunk until the first is shown
			st := newGatedStack(t, gate)
			st.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
				[]string{"The answer", " is **42**."}, llm.Usage{InputTokens: 10, OutputTokens: 5, TotalTokens: 15})})
			fake := dctest.New(t)
			cfg := testConfig(fake, bots.SystemClock{})
			cfg.EditInterval = 10 * time.Millisecond
			if tt.http {
				cfg.InteractionsListen = "127.0.0.1:0"
			}
			b := newTestBot(t, fake, cfg, st.eng)
			att := fake.AddAttachment("q.png", "image/png", realPNG(t))
			i := fake.Command(guildUser, "ask", dctest.String("prompt", "what is it?"), dctest.Attachment("image", att))
			if tt.http {
				postToRun(t, b, fake, i)
			} else {
				b.interact(i)
				if cb := fake.Callbacks(); len(cb) != 1 || cb[0].Type != 5 {
					t.Fatalf("callbacks = %+v, want the deferred response", cb)
				}
			}
			finalText(t, fake, "The answer")
			gate.Open(1)
			msgs := finalText(t, fake, "The answer is **42**.")
			if msgs[0].Kind != dctest.KindOriginal || len(msgs[0].Contents) < 2 {
				t.Errorf("answer in %+v, want the original response, edited", msgs[0])
			}
			st.eng.Wait()
			reqs := st.model.Requests()
			if len(reqs) != 1 || !bytes.Contains(reqs[0].Raw, []byte("data:image/")) || bytes.Contains(reqs[0].Raw, []byte(att.URL)) {
				t.Errorf("model request does not carry the image as a data URL")
			}
			h, err := st.store.Load(t.Context(), "dc:g1:c1", 10, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Turns) != 1 || h.Turns[0].Assistant != "The answer is **42**." || len(h.Turns[0].Images) != 1 ||
				!strings.Contains(h.Turns[0].User, "what is it?") {
				t.Fatalf("history = %+v", h.Turns)
			}
		})
	}
}

// postToRun runs b with its interactions endpoint and POSTs i to it,
// checking that the answer is the deferred response.
func postToRun(t *testing.T, b *Bot, fake *dctest.Server, i any) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-b.started:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	status, body, err := fake.PostInteraction(ctx, "http://"+b.InteractionsAddr(), i, time.Now())
	if err != nil || status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":5}` {
		t.Fatalf("POST = %d %s %v, want the deferred response", status, body, err)
	}
}

func TestEndToEndLongAnswerInChannel(t *testing.T) {
	// The stream is held after the first chunk until it is shown, and
	// after the second until its edit was rate limited: the 429 hits an
	// edit whatever the timing.
	gate := llmtest.NewFrameGate(1, 2)
	st := newGatedStack(t, gate)
	para := strings.Repeat("word ", 150) // 750 characters
	answer := strings.TrimSpace(strings.Repeat(para+"\n\n", 5))
	st.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, chunks(answer, 400), llm.Usage{TotalTokens: 900})})
	fake := dctest.New(t)
	cfg := testConfig(fake, bots.SystemClock{})
	cfg.EditInterval = 10 * time.Millisecond
	b := newTestBot(t, fake, cfg, st.eng)
	fake.Inject(dctest.RateLimit(http.MethodPatch, "/channels/c1/messages/", 0.05))

	b.receive(mention("900", "write a lot"))
	fake.WaitFor(t, "the first chunk shown", func() bool {
		m := fake.Messages()
		return len(m) > 0 && strings.HasPrefix(m[0].Content, "word")
	})
	gate.Open(1)
	fake.WaitFor(t, "an edit rate limited", func() bool { return fake.PendingFaults() == 0 })
	gate.Open(2)
	st.eng.Wait()

	msgs := fake.Messages()
	var live []dctest.Message
	for _, m := range msgs {
		if !m.Deleted {
			live = append(live, m)
		}
	}
	if len(live) < 2 {
		t.Fatalf("messages = %d, want the answer split", len(live))
	}
	if live[0].ReplyTo != "900" {
		t.Errorf("first part replies to %q, want the trigger", live[0].ReplyTo)
	}
	var got []string
	for k, m := range live {
		if n := len([]rune(m.Content)); n > 2000 {
			t.Errorf("part %d has %d characters", k, n)
		}
		if k > 0 && m.ReplyTo != live[k-1].ID {
			t.Errorf("part %d replies to %q, want the previous part %s", k, m.ReplyTo, live[k-1].ID)
		}
		got = append(got, strings.TrimSpace(m.Content))
	}
	if strings.Join(strings.Fields(strings.Join(got, " ")), " ") != strings.Join(strings.Fields(answer), " ") {
		t.Errorf("parts do not add up to the answer")
	}
	h, err := st.store.Load(t.Context(), "dc:g1:c1", 10, 10)
	if err != nil || len(h.Turns) != 1 || h.Turns[0].SenderName != "Annie" {
		t.Fatalf("history = %+v, %v", h.Turns, err)
	}
}

// chunks splits s into pieces of n bytes (s is ASCII).
func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	return append(out, s)
}

func TestEndToEndMessageCommandAndReply(t *testing.T) {
	tests := []struct {
		name string
		ask  func(b *Bot, fake *dctest.Server, target *discordgo.Message)
		kind string // of the answer's message
	}{
		{"Solve with Qwen", func(b *Bot, fake *dctest.Server, target *discordgo.Message) {
			b.interact(fake.MessageCommand(guildUser, cmdSolve, target))
		}, dctest.KindOriginal},
		{"Explain this", func(b *Bot, fake *dctest.Server, target *discordgo.Message) {
			b.interact(fake.MessageCommand(guildUser, cmdExplain, target))
			b.interact(fake.ModalSubmit(guildUser, explainModalPrefix+target.ID, map[string]string{explainInputID: "why?"}))
		}, dctest.KindOriginal},
		{"reply with a mention", func(b *Bot, _ *dctest.Server, target *discordgo.Message) {
			m := mention("720", "what is wrong here?")
			m.Type, m.ReferencedMessage = discordgo.MessageTypeReply, target
			b.receive(m)
		}, dctest.KindChannel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStack(t)
			st.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
				[]string{"x = 2", " or x = -2."}, llm.Usage{TotalTokens: 15})})
			fake := dctest.New(t)
			cfg := testConfig(fake, bots.SystemClock{})
			cfg.EditInterval = 10 * time.Millisecond
			b := newTestBot(t, fake, cfg, st.eng)
			target := fake.UserMessage(otherUser, "x^2 = 4", fake.AddAttachment("q.png", "image/png", realPNG(t)))
			tt.ask(b, fake, target)
			msgs := finalText(t, fake, "x = 2 or x = -2.")
			if msgs[0].Kind != tt.kind {
				t.Errorf("answer in a %s message, want %s", msgs[0].Kind, tt.kind)
			}
			st.eng.Wait()
			h, err := st.store.Load(t.Context(), "dc:g1:c1", 10, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(h.Turns) != 1 || len(h.Turns[0].Images) != 1 || !strings.Contains(h.Turns[0].User, "> x^2 = 4") {
				t.Fatalf("history = %+v", h.Turns)
			}
		})
	}
}
