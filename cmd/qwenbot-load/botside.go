package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram"
	"github.com/qwenbot/qwenbot/llm"
)

// The settings cmd/qwenbot ships as defaults (cmd/qwenbot/config.go
// DefaultConfig), which the bot side runs with so the load measures the
// real configuration.
const (
	tutorPrompt     = "You are a patient tutor. Solve the problem step by step, explain each step briefly, and state the final answer clearly. Use Markdown; write math in LaTeX."
	photoPrompt     = "Solve the problem in this image step by step."
	defaultModel    = "qwen3-vl-plus"
	historyTurns    = 50
	historyImages   = 3
	historyTokens   = 6000
	userTurnsPerMin = 10
	shutdownTimeout = 20 * time.Second
)

// botSide is the bot under load: the real engine and Telegram adapter,
// wired as cmd/qwenbot wires them, plus a second bot (own token, engine
// and store, pacing off) that carries the long image conversation so its
// 50 turns fit in one run.
type botSide struct {
	obs     *observer
	streams *streamGauge
	stores  *stores
	eng     *bots.Engine
	imgEng  *bots.Engine
	tg      *telegram.Bot
	imgTG   *telegram.Bot

	cancel context.CancelFunc
	group  *errgroup.Group
}

// startBots wires the bots against the world's fakes. Call run, then
// stop.
func startBots(ctx context.Context, o options, hello worldHello, log *slog.Logger) (*botSide, error) {
	st, err := openStores(ctx, o, log.With("component", "memory"))
	if err != nil {
		return nil, err
	}
	b := &botSide{obs: &observer{}, streams: &streamGauge{}, stores: st}
	tgHC := &http.Client{Transport: loopbackTransport()}
	llmHC := &http.Client{Transport: countingTransport{base: loopbackTransport(), gauge: b.streams}}
	client, err := llm.New(llm.Config{BaseURL: hello.LLM, APIKey: fakeAPIKey, Model: defaultModel,
		ThinkingParam: llm.ThinkingParamEnable}, llmHC, log.With("component", "llm"))
	if err != nil {
		return nil, errors.Join(fmt.Errorf("make model client: %w", err), st.close(ctx))
	}
	elog := log.With("component", "engine")
	b.eng = bots.New(engineConfig(o, b.obs), client, st.main, elog)
	b.imgEng = bots.New(imageEngineConfig(), client, st.image, elog.With("bot", "image"))
	tcfg := telegramConfig(hello.TG, o.Policy.drafts(), o.RichMessages)
	b.tg, err = telegram.New(hello.Token, tcfg, policyEngine{eng: b.eng, policy: o.Policy}, tgHC, nil, log)
	if err == nil {
		icfg := telegramConfig(hello.TG, false, o.RichMessages)
		icfg.PrivateEdit = time.Nanosecond // the image bot's fake chat has no limits
		b.imgTG, err = telegram.New(hello.ImageToken, icfg, b.imgEng, tgHC, nil, log.With("bot", "image"))
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("start telegram: %w", err), b.shutdownEngines(), st.close(ctx))
	}
	return b, nil
}

// engineConfig is cmd/qwenbot's default engine configuration under o, with
// o.PerChat turns at once per chat.
func engineConfig(o options, obs bots.Observer) bots.Config {
	maxConc := o.MaxConcurrent
	if maxConc == 0 {
		maxConc = o.Chats
	}
	return bots.Config{
		SystemPrompt:    tutorPrompt,
		PhotoPrompt:     photoPrompt,
		Language:        "en",
		Thinking:        o.ThinkTokens > 0,
		HistoryTurns:    historyTurns,
		HistoryImages:   historyImages,
		HistoryTokens:   historyTokens,
		MaxConcurrent:   maxConc,
		MaxTurnsPerChat: o.PerChat,
		UserTurnsPerMin: userTurnsPerMin,
		GlobalPerSecond: map[string]int{"tg": o.Policy.globalPerSecond()},
		Observer:        obs,
	}
}

// imageEngineConfig is the default configuration without the per-user
// rate limit, which 50 photos in a row would hit.
func imageEngineConfig() bots.Config {
	return bots.Config{
		SystemPrompt:  tutorPrompt,
		PhotoPrompt:   photoPrompt,
		Language:      "en",
		HistoryTurns:  historyTurns,
		HistoryImages: historyImages,
		HistoryTokens: historyTokens,
	}
}

// telegramConfig is cmd/qwenbot's default adapter configuration, with
// drafts and rich messages as given.
func telegramConfig(apiURL string, drafts bool, rich string) telegram.Config {
	return telegram.Config{
		APIURL:         apiURL,
		PrivateEdit:    time.Second,
		GroupEdit:      3 * time.Second,
		GroupPerMinute: 18,
		Drafts:         drafts,
		RichMessages:   rich,
	}
}

// run starts both bots; they run until stop.
func (b *botSide) run(ctx context.Context) {
	ctx, b.cancel = context.WithCancel(ctx)
	b.group, ctx = errgroup.WithContext(ctx)
	b.group.Go(func() error { return b.tg.Run(ctx) })
	b.group.Go(func() error { return b.imgTG.Run(ctx) })
}

// stop stops receiving updates, lets the engines finish (interrupting
// turns still running after shutdownTimeout) and closes the stores.
func (b *botSide) stop(ctx context.Context) error {
	b.cancel()
	err := b.shutdownEngines()
	return errors.Join(err, b.group.Wait(), b.stores.close(ctx))
}

// shutdownEngines shuts both engines down.
func (b *botSide) shutdownEngines() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := errors.Join(b.eng.Shutdown(ctx), b.imgEng.Shutdown(ctx))
	if errors.Is(err, context.DeadlineExceeded) {
		return nil // turns were interrupted, as intended at the end of a load
	}
	return err
}

// observer counts the engine's metrics events. Safe for concurrent use.
type observer struct {
	bots.NopObserver
	started, finished, ok, rejected, edits, limited atomic.Int64
}

// TurnStarted counts a started turn.
func (o *observer) TurnStarted(string) { o.started.Add(1) }

// TurnFinished counts a finished turn and its outcome.
func (o *observer) TurnFinished(r bots.TurnReport) {
	o.finished.Add(1)
	if r.Outcome == bots.OutcomeOK {
		o.ok.Add(1)
	}
}

// TurnRejected counts a turned-away message.
func (o *observer) TurnRejected(string, string) { o.rejected.Add(1) }

// EditSent counts a send, edit or draft.
func (o *observer) EditSent(string) { o.edits.Add(1) }

// RateLimited counts a 429 the bot received.
func (o *observer) RateLimited(string) { o.limited.Add(1) }
