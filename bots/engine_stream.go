package bots

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/qwenbot/qwenbot/llm"
)

// stream asks the model and streams its answer into the reply, with as
// much of the newest history as fits Config.HistoryTokens. When the
// model rejects the request before saying anything, it retries: with half
// the history, then none, when the input is too long; once with images
// shrunk to half the pixels (and history images as placeholders) when an
// image is too large.
func (r *turnRun) stream(ctx context.Context) error {
	window := r.e.cfg.HistoryImages
	turns := fitHistory(r.hist.Turns, r.hist.Images, window, r.e.cfg.HistoryTokens)
	shrunk, cut := false, false
	for {
		err := r.streamOnce(ctx, r.request(turns, window))
		if err == nil || ctx.Err() != nil || r.reasoning.Len() > 0 || r.answer.Len() > 0 {
			return err
		}
		switch {
		case errors.Is(err, llm.ErrTooLong) && turns > 0:
			if cut {
				turns = 0
			} else {
				turns, cut = turns/2, true
			}
			r.e.log.DebugContext(ctx, "input too long, retrying with less history", "chat", r.t.Chat, "turns", turns)
		case errors.Is(err, llm.ErrImageTooLarge) && !shrunk && len(r.images) > 0:
			shrunk, window = true, 0
			px := r.pixelBudget()
			if px <= 0 {
				px = defaultImagePixels
			}
			if perr := r.prepareImages(ctx, px/2); perr != nil {
				return perr
			}
			r.e.log.DebugContext(ctx, "image too large, retrying smaller", "chat", r.t.Chat, "max_pixels", px/2)
		default:
			return err
		}
	}
}

// defaultImagePixels is Qwen3-VL's default pixel budget, for models that
// state none.
const defaultImagePixels = 2621440

// request assembles the model request with the newest turns of history, of
// which the newest window images are re-sent.
func (r *turnRun) request(turns, window int) llm.Request {
	cfg := r.e.cfg
	system := cfg.SystemPrompt
	if r.settings.SystemPrompt != "" {
		system = r.settings.SystemPrompt
	}
	p := prompt{
		turns:  tail(r.hist.Turns, turns),
		data:   r.hist.Images,
		window: window,
		group:  r.t.Group,
		name:   r.t.Sender.Name,
		text:   r.text(),
		images: r.images,
		videos: r.videos,
	}
	return llm.Request{
		Model:          r.settings.Model,
		System:         system,
		Messages:       p.messages(),
		Thinking:       r.think,
		ThinkingBudget: cfg.ThinkingBudget,
		MaxTokens:      cfg.MaxTokens,
		Temperature:    cfg.Temperature,
		TopP:           cfg.TopP,
		HighResolution: cfg.HighResolution,
		MaxPixels:      cfg.MaxPixels,
	}
}

// streamOnce makes one model request, within the engine's bound on calls
// in flight, and feeds its deltas to the pacer.
func (r *turnRun) streamOnce(ctx context.Context, req llm.Request) error {
	select {
	case r.e.sem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("wait for a model slot: %w", ctx.Err())
	}
	defer func() { <-r.e.sem }()
	r.streamed = true
	s, err := r.e.open(ctx, req)
	if err != nil {
		return fmt.Errorf("start model stream: %w", err)
	}
	defer s.Close()
	for {
		ev, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read model stream: %w", err)
		}
		r.apply(ev)
		if r.capped {
			return nil // the rest of the answer is dropped: Close ends the request
		}
	}
}

// apply records one model event and shows the new state.
func (r *turnRun) apply(ev llm.Event) {
	switch ev.Kind {
	case llm.EventReasoning, llm.EventAnswer:
		if ev.Text == "" {
			return
		}
		if r.firstToken == 0 {
			r.firstToken = max(r.e.clock.Now().Sub(r.start), 1)
		}
		if ev.Kind == llm.EventReasoning {
			r.capped = r.reasoningCap.write(&r.reasoning, ev.Text)
		} else {
			r.capped = r.answerCap.write(&r.answer, ev.Text)
		}
		r.pacer.Update(r.state())
	case llm.EventUsage:
		r.usage = ev.Usage
	case llm.EventDone:
		if ev.Usage != (llm.Usage{}) {
			r.usage = ev.Usage
		}
		r.finish = ev.FinishReason
	}
}
