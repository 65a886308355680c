package bots

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"log/slog"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// apiError returns a native error response.
func apiError(status int, code, msg string) llmtest.Response {
	return llmtest.Response{Status: status, Body: llmtest.NativeErrorBody(code, msg)}
}

// partialFrames returns native frames of answer deltas without a finish.
func partialFrames(text ...string) []string {
	frames := llmtest.Answer{Text: text}.Native()
	return frames[:len(frames)-1]
}

const (
	tooLongMsg  = "Range of input length should be [1, 129024]"
	dataURIMsg  = "Exceeded limit on max bytes per data-uri item : 10485760"
	refusedMsg  = "Input or output data may contain inappropriate content."
	throttleMsg = "Requests rate limit exceeded, please try again later."
)

func TestEngineTellsTheUserEachErrorClass(t *testing.T) {
	cat := enCatalog()
	tests := []struct {
		name      string
		responses []llmtest.Response // enqueued
		fallback  *llmtest.Response  // served when the queue is empty
		history   int                // turns stored beforehand
		image     bool
		wantNote  string
		wantShown string // text that must stay visible
		gone      string // text that must not stay visible
		wantStore bool
		wantReqs  int
	}{
		{name: "refused", responses: []llmtest.Response{apiError(400, "DataInspectionFailed", refusedMsg)},
			wantNote: cat.Refused, wantReqs: 1},
		{name: "refused mid-stream", responses: []llmtest.Response{{Frames: append(partialFrames("Here is some "),
			llmtest.NativeErrorEvent(9, 400, "DataInspectionFailed", refusedMsg))}},
			wantNote: cat.Refused, gone: "Here is some", wantReqs: 1},
		{name: "rate limited", fallback: &llmtest.Response{Status: 429, Body: llmtest.NativeErrorBody("Throttling.RateQuota", throttleMsg)},
			wantNote: cat.ModelBusy, wantReqs: 2},
		{name: "misconfigured", responses: []llmtest.Response{apiError(401, "InvalidApiKey", "Invalid API-key provided.")},
			wantNote: cat.Misconfigured, wantReqs: 1},
		{name: "unavailable", fallback: &llmtest.Response{Status: 500, Body: llmtest.NativeErrorBody("InternalError", "internal error")},
			wantNote: cat.Unavailable, wantReqs: 2},
		{name: "connection lost mid-stream", responses: []llmtest.Response{{Frames: partialFrames("The first step ", "is"), Abort: true}},
			wantNote: "⚠️ interrupted: the connection to the model was lost", wantShown: "The first step is", wantStore: true, wantReqs: 1},
		{name: "quota mid-stream", responses: []llmtest.Response{{Frames: append(partialFrames("The first step "),
			llmtest.NativeErrorEvent(9, 429, "Throttling.AllocationQuota", "Allocated quota exceeded, please increase your quota limit."))}},
			wantNote: cat.interrupted(cat.ReasonBusy), wantShown: "The first step", wantStore: true, wantReqs: 1},
		{name: "too long even without history", fallback: &llmtest.Response{Status: 400, Body: llmtest.NativeErrorBody("InvalidParameter", tooLongMsg)},
			history: 4, wantNote: cat.InputTooLong, wantReqs: 3},
		{name: "image too large even shrunk", fallback: &llmtest.Response{Status: 400, Body: llmtest.NativeErrorBody("InvalidParameter", dataURIMsg)},
			image: true, wantNote: cat.ImageTooLarge, wantReqs: 2},
		{name: "length limit", responses: []llmtest.Response{{Frames: llmtest.Answer{Text: []string{"A long answer"}, FinishReason: "length"}.Native()}},
			wantNote: cat.Truncated, wantShown: "A long answer", wantStore: true, wantReqs: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := newLLM(t)
			srv.Enqueue(tc.responses...)
			if tc.fallback != nil {
				srv.SetDefault(*tc.fallback)
			}
			store := newEmbeddedStore(t)
			for i := range tc.history {
				if err := store.Append(context.Background(), "tg:1", memoryTurn(fmt.Sprint("q", i), fmt.Sprint("a", i))); err != nil {
					t.Fatal(err)
				}
			}
			e := newLLMEngine(t, Config{}, c, store)
			s := newRecSurface()
			turn := turnFor("tg:1", "question", s)
			if tc.image {
				turn.Images = []Upload{{Data: testPNG(t, 64, 64, color.Black), MIME: "image/png"}}
			}
			if err := e.Submit(context.Background(), turn); err != nil {
				t.Fatal(err)
			}
			texts := s.WaitText(t, tc.wantNote)
			e.Wait()
			texts = s.Texts()
			if len(texts) != 1 {
				t.Fatalf("messages %q, want one reply", texts)
			}
			if tc.wantShown != "" && !strings.Contains(texts[0], tc.wantShown) {
				t.Errorf("reply %q lost %q", texts[0], tc.wantShown)
			}
			if tc.gone != "" && strings.Contains(texts[0], tc.gone) {
				t.Errorf("reply %q still shows %q", texts[0], tc.gone)
			}
			stored := len(loadTurns(t, store, "tg:1")) > tc.history
			if stored != tc.wantStore {
				t.Errorf("turn stored = %v, want %v", stored, tc.wantStore)
			}
			if n := len(srv.Requests()); n != tc.wantReqs {
				t.Errorf("%d model requests, want %d", n, tc.wantReqs)
			}
		})
	}
}

func TestEngineRetriesTooLongWithLessHistory(t *testing.T) {
	srv, c := newLLM(t)
	srv.Enqueue(apiError(400, "InvalidParameter", tooLongMsg), llmtest.Response{Frames: llmtest.Answer{Text: []string{"Fine."}}.Native()})
	store := newEmbeddedStore(t)
	for i := range 4 {
		if err := store.Append(context.Background(), "tg:1", memoryTurn(fmt.Sprint("q", i), fmt.Sprint("a", i))); err != nil {
			t.Fatal(err)
		}
	}
	e := newLLMEngine(t, Config{}, c, store)
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "question", s)); err != nil {
		t.Fatal(err)
	}
	s.WaitText(t, "Fine.")
	e.Wait()
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	r1, _ := bodyMessages(t, reqs[0])
	r2, texts := bodyMessages(t, reqs[1])
	if dialogue(r1) != 9 || dialogue(r2) != 5 {
		t.Errorf("dialogue messages %d then %d, want 9 (4 turns) then 5 (the newest 2)", dialogue(r1), dialogue(r2))
	}
	if !strings.Contains(strings.Join(texts, "|"), "q3|a3|question") {
		t.Errorf("retry kept %q, want the newest turns", texts)
	}
	if n := len(loadTurns(t, store, "tg:1")); n != 5 {
		t.Errorf("%d turns stored, want 5", n)
	}
}

func TestEngineRetriesImageTooLargeShrunk(t *testing.T) {
	m := newFakeModel()
	calls := 0
	m.Err = func(llm.Request) error {
		calls++
		if calls == 1 {
			return fmt.Errorf("start: %w", &llm.APIError{Status: 400, Code: "InvalidParameter", Message: dataURIMsg})
		}
		return nil
	}
	m.Auto = func(llm.Request) []step { return answerSteps("A dog.") }
	e := newTestEngine(t, Config{MaxPixels: 64 * 64}, m, newEmbeddedStore(t))
	s := newRecSurface()
	turn := turnFor("tg:1", "what is it?", s)
	turn.Images = []Upload{{Data: testPNG(t, 64, 64, color.Gray{Y: 90}), MIME: "image/png"}}
	if err := e.Submit(context.Background(), turn); err != nil {
		t.Fatal(err)
	}
	s.WaitText(t, "A dog.")
	e.Wait()
	reqs := m.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	px := func(r llm.Request) int {
		last := r.Messages[len(r.Messages)-1]
		cfg, _, err := image.DecodeConfig(bytes.NewReader(last.Parts[0].Image.Data))
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Width * cfg.Height
	}
	if a, b := px(reqs[0]), px(reqs[1]); b > a/2 {
		t.Errorf("retry sent %d pixels after %d, want at most half", b, a)
	}
}

func TestEngineLogsMisconfigurationForTheOperator(t *testing.T) {
	srv, c := newLLM(t)
	srv.Enqueue(apiError(401, "InvalidApiKey", "Invalid API-key provided."))
	h := &recHandler{}
	e := New(Config{}, c, newEmbeddedStore(t), slog.New(h))
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "my secret homework", s)); err != nil {
		t.Fatal(err)
	}
	s.WaitText(t, enCatalog().Misconfigured)
	e.Wait()
	if lv := h.Levels("configuration"); len(lv) != 1 || lv[0] != slog.LevelError {
		t.Errorf("configuration log levels %v, want one Error", lv)
	}
	if logs := h.Texts(); strings.Contains(logs, "secret homework") || strings.Contains(logs, llmtest.TestKey) {
		t.Errorf("logs leak the message or the key:\n%s", logs)
	}
}

func TestEngineLogsOneInfoLinePerTurn(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("private answer") }
	h := &recHandler{}
	e := newEngine(Config{}, m.open, m.model, newEmbeddedStore(t), slog.New(h))
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "private question", s)); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	if lv := h.Levels("turn"); len(lv) != 1 || lv[0] != slog.LevelInfo {
		t.Errorf("turn log levels %v, want one Info", lv)
	}
	logs := h.Texts()
	if strings.Contains(logs, "private") {
		t.Errorf("logs leak content:\n%s", logs)
	}
	for _, attr := range []string{"chat=tg:1", "outcome=ok", "first_token=", "total=", "output_tokens=5"} {
		if !strings.Contains(logs, attr) {
			t.Errorf("turn log lacks %q:\n%s", attr, logs)
		}
	}
}

func TestClassify(t *testing.T) {
	cat := enCatalog()
	live := context.Background()
	stopped, stop := context.WithCancelCause(live)
	stop(errStopped)
	down, shut := context.WithCancelCause(live)
	shut(errShutdown)
	late, expire := context.WithCancelCause(live)
	expire(errTurnTimeout)
	tests := []struct {
		name    string
		ctx     context.Context
		err     error
		shown   bool
		outcome Outcome
		note    string
		store   bool
		keep    bool
	}{
		{"stopped", stopped, context.Canceled, true, OutcomeStopped, cat.Stopped, true, true},
		{"shutdown", down, context.Canceled, true, OutcomeShutdown, "⚠️ interrupted: the bot is restarting", true, true},
		{"shutdown before text", down, context.Canceled, false, OutcomeShutdown, "⚠️ interrupted: the bot is restarting", false, true},
		{"timeout", late, context.DeadlineExceeded, true, OutcomeTimeout, "⚠️ interrupted: the answer took too long", true, true},
		{"refused", live, fmt.Errorf("x: %w", llm.ErrContentRefused), true, OutcomeRefused, cat.Refused, false, false},
		{"misconfigured", live, llm.ErrMisconfigured, false, OutcomeMisconfigured, cat.Misconfigured, false, false},
		{"model busy", live, llm.ErrRateLimited, false, OutcomeModelBusy, cat.ModelBusy, false, true},
		{"model busy mid-stream", live, llm.ErrRateLimited, true, OutcomeModelBusy, "⚠️ interrupted: the model is busy; please try again shortly", true, true},
		{"transient", live, llm.ErrTransient, false, OutcomeInterrupted, cat.Unavailable, false, true},
		{"too long", live, llm.ErrTooLong, false, OutcomeTooLong, cat.InputTooLong, false, false},
		{"image too large", live, llm.ErrImageTooLarge, false, OutcomeBadImage, cat.ImageTooLarge, false, false},
		{"not an image", live, fmt.Errorf("prepare: %w", imaging.ErrNotImage), false, OutcomeBadImage, cat.NotImage, false, false},
		{"unsupported image", live, imaging.ErrUnsupported, false, OutcomeBadImage, cat.ImageUnsupported, false, false},
		{"images busy", live, fmt.Errorf("prepare image 2: %w", imaging.ErrBusy), false, OutcomeImagesBusy, cat.ImagesBusy, false, false},
		{"user budget", live, budgetError{}, false, OutcomeBudget, cat.UserBudget, false, false},
		{"chat budget", live, budgetError{chat: true}, false, OutcomeBudget, cat.ChatBudget, false, false},
		{"other", live, errors.New("redis down"), false, OutcomeError, cat.Generic, false, true},
		{"other mid-stream", live, errors.New("boom"), true, OutcomeError, "⚠️ interrupted: something went wrong", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := classify(tc.ctx, tc.err, cat, tc.shown)
			if f.outcome != tc.outcome || f.note != tc.note || f.store != tc.store || f.keep != tc.keep {
				t.Errorf("classify = %+v, want outcome %s note %q store %v keep %v", f, tc.outcome, tc.note, tc.store, tc.keep)
			}
		})
	}
}
