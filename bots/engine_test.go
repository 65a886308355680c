package bots

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/bots/pace"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
	"github.com/qwenbot/qwenbot/memory"
)

// newLLM returns a fake DashScope and a real client pointed at it.
func newLLM(t testing.TB) (*llmtest.Server, *llm.Client) {
	t.Helper()
	srv := llmtest.NewServer(t)
	cfg := srv.Config()
	cfg.MaxRetries = 1
	c, err := llm.New(cfg, srv.Client(), quietLog())
	if err != nil {
		t.Fatalf("llm.New: %v", err)
	}
	return srv, c
}

// newLLMEngine returns an engine on a real llm client, shut down when the
// test ends.
func newLLMEngine(t testing.TB, cfg Config, c *llm.Client, store history) *Engine {
	t.Helper()
	e := New(cfg, c, store, quietLog())
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	return e
}

// bodyMessages returns the roles and texts of a native request's messages.
func bodyMessages(t testing.TB, r llmtest.Request) (roles, texts []string) {
	t.Helper()
	input, _ := r.Body["input"].(map[string]any)
	msgs, ok := input["messages"].([]any)
	if !ok {
		t.Fatalf("request body has no input.messages: %s", r.Raw)
	}
	for _, m := range msgs {
		mm := m.(map[string]any)
		roles = append(roles, mm["role"].(string))
		var sb strings.Builder
		switch c := mm["content"].(type) {
		case string:
			sb.WriteString(c)
		case []any:
			for _, p := range c {
				if s, ok := p.(map[string]any)["text"].(string); ok {
					sb.WriteString(s)
				}
			}
		}
		texts = append(texts, sb.String())
	}
	return roles, texts
}

// dialogue counts the user and assistant messages of a request.
func dialogue(roles []string) int {
	n := 0
	for _, r := range roles {
		if r == "user" || r == "assistant" {
			n++
		}
	}
	return n
}

func TestEngineAnswersStreamsAndStores(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			srv, c := newLLM(t)
			store := k.make(t)
			e := newLLMEngine(t, Config{SystemPrompt: "Be brief."}, c, store)
			s := newRecSurface()
			srv.Enqueue(llmtest.Response{ChunkSize: 7, Frames: llmtest.Answer{
				Text:  []string{"Six times seven ", "is 42."},
				Usage: llm.Usage{InputTokens: 20, OutputTokens: 8, TotalTokens: 28},
			}.Native()})
			if err := e.Submit(context.Background(), turnFor("tg:1", "What is 6×7?", s)); err != nil {
				t.Fatal(err)
			}
			s.WaitText(t, "Six times seven is 42.")
			e.Wait()
			turns := loadTurns(t, store, "tg:1")
			if len(turns) != 1 || turns[0].User != "What is 6×7?" || turns[0].Assistant != "Six times seven is 42." || turns[0].Tokens <= 0 || turns[0].SenderName != "Ann" {
				t.Fatalf("stored %+v", turns)
			}

			srv.Enqueue(llmtest.Response{Frames: llmtest.Answer{Text: []string{"84."}}.Native()})
			if err := e.Submit(context.Background(), turnFor("tg:1", "And twice that?", s)); err != nil {
				t.Fatal(err)
			}
			s.WaitText(t, "84.")
			e.Wait()
			reqs := srv.Requests()
			roles, texts := bodyMessages(t, reqs[1])
			wantRoles := []string{"system", "user", "assistant", "user"}
			wantTexts := []string{"Be brief.", "What is 6×7?", "Six times seven is 42.", "And twice that?"}
			if !slices.Equal(roles, wantRoles) || !slices.Equal(texts, wantTexts) {
				t.Errorf("second request %q %q, want %q %q", roles, texts, wantRoles, wantTexts)
			}
			if got := len(loadTurns(t, store, "tg:1")); got != 2 {
				t.Errorf("%d turns stored, want 2", got)
			}
			if got := s.Texts(); len(got) != 2 {
				t.Errorf("messages %q, want one per turn", got)
			}
		})
	}
}

func TestEngineShowsThinkingThenTheAnswerLeads(t *testing.T) {
	m := newFakeModel()
	e := newTestEngine(t, Config{PlaceholderDelay: -1}, m, newEmbeddedStore(t))
	s := newRecSurface()
	think := true
	turn := turnFor("tg:1", "area of a 3-4-5 triangle?", s)
	turn.Think = &think
	if err := e.Submit(context.Background(), turn); err != nil {
		t.Fatal(err)
	}
	st := m.Next(t)
	if !st.Req.Thinking {
		t.Error("request does not ask for thinking although the turn did")
	}
	s.WaitText(t, "💭")
	st.Steps <- step{ev: llmReasoning("The legs are 3 and 4, ")}
	st.Steps <- step{ev: llmReasoning("so half their product.")}
	s.WaitText(t, "so half their product.")
	st.Answer("The area is 6.")
	texts := s.WaitText(t, "The area is 6.")
	e.Wait()
	texts = s.Texts()
	if len(texts) != 1 || strings.Contains(texts[0], "half their product") {
		t.Errorf("final messages %q: the answer should lead, without the thinking", texts)
	}
}

func TestEngineGroupTurnsAreLabelledBySender(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("ok") }
	e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
	s := newRecSurface()
	for _, who := range []Sender{{ID: "1", Name: "Ann Lee"}, {ID: "2", Name: "Bob"}} {
		turn := Turn{Chat: "tg:-100", User: "tg:" + who.ID, Sender: who, Group: true, Text: "hi from " + who.Name, Surface: s}
		if err := e.Submit(context.Background(), turn); err != nil {
			t.Fatal(err)
		}
		e.Wait()
	}
	reqs := m.Requests()
	got := userTexts(reqs[1])
	want := []string{"Ann Lee: hi from Ann Lee", "Bob: hi from Bob"}
	if !slices.Equal(got, want) {
		t.Errorf("user messages %q, want %q", got, want)
	}
}

// testPNG returns a w×h PNG filled with c.
func testPNG(t testing.TB, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// imageParts returns the image data of every message of req, by message
// index, and the number of "[image]" placeholders.
func imageParts(req llm.Request) (images map[int][][]byte, placeholders int) {
	images = map[int][][]byte{}
	for i, m := range req.Messages {
		for _, p := range m.Parts {
			switch {
			case p.Image != nil:
				images[i] = append(images[i], p.Image.Data)
			case p.Text == imagePlaceholder:
				placeholders++
			}
		}
	}
	return images, placeholders
}

func TestEngineResendsOnlyTheNewestHistoryImages(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			m := newFakeModel()
			m.Auto = func(llm.Request) []step { return answerSteps("seen") }
			e := newTestEngine(t, Config{HistoryImages: 2}, m, k.make(t))
			s := newRecSurface()
			for i := range 5 {
				turn := turnFor("tg:1", fmt.Sprintf("photo %d", i+1), s)
				turn.Images = []Upload{{Data: testPNG(t, 40, 30, color.RGBA{R: uint8(50 * i), G: 100, B: 200, A: 255}), MIME: "image/png"}}
				if err := e.Submit(context.Background(), turn); err != nil {
					t.Fatal(err)
				}
				e.Wait()
			}
			reqs := m.Requests()
			fifth := reqs[4]
			imgs, placeholders := imageParts(fifth)
			if placeholders != 2 {
				t.Errorf("%d [image] placeholders, want 2 (turns 1 and 2)", placeholders)
			}
			// Messages: u1 a1 u2 a2 u3 a3 u4 a4 u5.
			if len(imgs) != 3 || len(imgs[4]) != 1 || len(imgs[6]) != 1 || len(imgs[8]) != 1 {
				t.Fatalf("images by message %v, want one each in messages 4, 6 and 8", keys(imgs))
			}
			for _, tc := range []struct{ msg, req int }{{4, 2}, {6, 3}} {
				sent, _ := imageParts(reqs[tc.req])
				if !bytes.Equal(imgs[tc.msg][0], sent[len(reqs[tc.req].Messages)-1][0]) {
					t.Errorf("message %d re-sends another image than turn %d sent", tc.msg, tc.req+1)
				}
			}
		})
	}
}

func keys(m map[int][][]byte) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestEnginePreparesImages(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("ok") }
	obs := &recObserver{}
	store := newEmbeddedStore(t)
	e := newTestEngine(t, Config{MaxPixels: 64 * 48, Observer: obs}, m, store)
	s := newRecSurface()
	turn := turnFor("tg:1", "", s)
	turn.Images = []Upload{{Data: testPNG(t, 640, 480, color.White), MIME: "image/jpeg"}}
	if err := e.Submit(context.Background(), turn); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	req := m.Requests()[0]
	last := req.Messages[len(req.Messages)-1]
	if len(last.Parts) != 2 || last.Parts[0].Image == nil || last.Parts[1].Text != enCatalog().PhotoPrompt {
		t.Fatalf("new message parts %+v, want the image then the photo prompt", last.Parts)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(last.Parts[0].Image.Data))
	if err != nil || cfg.Width*cfg.Height > 64*48 {
		t.Errorf("image sent is %dx%d (%v), want at most %d pixels", cfg.Width, cfg.Height, err, 64*48)
	}
	turns := loadTurns(t, store, "tg:1")
	if len(turns) != 1 || len(turns[0].Images) != 1 || turns[0].Images[0].Width != cfg.Width {
		t.Errorf("stored %+v, want the prepared image's ref", turns)
	}
	if obs.images.Load() != 1 {
		t.Errorf("observer saw %d images, want 1", obs.images.Load())
	}
}

// TestEngineDecodesUnderItsLimiter checks that images are decoded under
// the injected Limiter: one whose memory cannot hold the image refuses it.
func TestEngineDecodesUnderItsLimiter(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("ok") }
	e := newTestEngine(t, Config{Images: imaging.NewLimiter(64<<10, 0)}, m, newEmbeddedStore(t))
	s := newRecSurface()
	turn := turnFor("tg:1", "", s)
	turn.Images = []Upload{{Data: testPNG(t, 640, 480, color.White), MIME: "image/png"}}
	if err := e.Submit(context.Background(), turn); err != nil {
		t.Fatal(err)
	}
	s.WaitText(t, enCatalog().ImageTooLarge)
	e.Wait()
	if n := len(m.Requests()); n != 0 {
		t.Errorf("%d model requests, want none", n)
	}
}

func TestEngineStoresNothingWithoutAnAnswer(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step {
		return []step{{ev: llm.Event{Kind: llm.EventDone, FinishReason: "stop"}}}
	}
	store := newEmbeddedStore(t)
	e := newTestEngine(t, Config{}, m, store)
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "hello?", s)); err != nil {
		t.Fatal(err)
	}
	s.WaitText(t, enCatalog().EmptyAnswer)
	e.Wait()
	if n := len(loadTurns(t, store, "tg:1")); n != 0 {
		t.Errorf("%d turns stored, want 0", n)
	}
}

// memoryTurn returns a stored turn for seeding history.
func memoryTurn(user, answer string) memory.Turn {
	return memory.Turn{User: user, Assistant: answer, Tokens: 10}
}

func TestEngineReportsToTheObserver(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("fine") }
	obs := &recObserver{}
	e := newTestEngine(t, Config{Observer: obs}, m, newEmbeddedStore(t))
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "q", s)); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	reps := obs.Reports()
	if len(reps) != 1 || obs.started.Load() != 1 {
		t.Fatalf("%d reports, %d starts, want 1 each", len(reps), obs.started.Load())
	}
	r := reps[0]
	if r.Platform != "tg" || r.Outcome != OutcomeOK || r.FirstToken <= 0 || r.FirstVisible <= 0 || r.Total < r.FirstToken || r.Usage.TotalTokens != 15 {
		t.Errorf("report %+v", r)
	}
	if obs.depth.Load() != 0 || obs.edits.Load() == 0 {
		t.Errorf("queue depth %d, edits %d: want 0 and some", obs.depth.Load(), obs.edits.Load())
	}
}

// draftSurface is a recSurface that offers drafts, which always fail.
type draftSurface struct {
	*recSurface
	mu     sync.Mutex
	drafts []int64
}

// Draft implements Drafter.
func (d *draftSurface) Draft(_ context.Context, id int64, _ Outgoing) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.drafts = append(d.drafts, id)
	return errors.New("drafts unavailable")
}

func (d *draftSurface) Drafts() []int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.drafts)
}

func TestEngineStopsOfferingDraftsThatFail(t *testing.T) {
	m := newFakeModel()
	e := newTestEngine(t, Config{PlaceholderDelay: -1}, m, newEmbeddedStore(t))
	s := &draftSurface{recSurface: newRecSurface()}
	s.limits.Drafts = true
	for i := range 2 {
		if err := e.Submit(context.Background(), turnFor("tg:1", "q", s)); err != nil {
			t.Fatal(err)
		}
		st := m.Next(t)
		s.WaitText(t, "…") // the placeholder, sent as a message
		st.Answer("fine")
		e.Wait()
		if n := len(s.Drafts()); n != 1 {
			t.Fatalf("after turn %d: %d drafts tried, want 1 (then none after the failure)", i+1, n)
		}
	}
	if s.Drafts()[0] == 0 {
		t.Error("draft id 0")
	}
	if got := s.Texts(); len(got) != 2 || got[1] != "fine" {
		t.Errorf("messages %q, want both answers sent as messages", got)
	}
}

func TestEachPlatformHasItsOwnRequestBudget(t *testing.T) {
	clk := botstest.NewFakeClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	e := newTestEngine(t, Config{GlobalPerSecond: map[string]int{"tg": 1, "dc": 1}, Clock: clk}, newFakeModel(), newEmbeddedStore(t))
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	l := Limits{MaxLen: 100}
	use := func(chat string) chan error {
		done := make(chan error, 1)
		go func() {
			g := e.gate(chat, l)
			err := g.Wait(ctx, pace.PriorityFinal)
			if err == nil {
				g.Done()
			}
			done <- err
		}()
		return done
	}
	if err := <-use("tg:1"); err != nil {
		t.Fatal(err)
	}
	if err := <-use("dc:1"); err != nil { // Discord's budget is untouched
		t.Fatal(err)
	}
	second := use("tg:2") // Telegram's token is spent: waits for the clock
	if err := clk.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	if err := <-second; err != nil {
		t.Fatal(err)
	}
}
