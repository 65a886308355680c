package bots

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/bots/pace"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
)

// finishTimeout bounds storing a turn, and the time delivering its final
// state spends making requests and backing off after errors, also after the
// turn was stopped or interrupted. Time the final waits for the chat's pace
// (a 429 pause) or behind other finals for the per-bot budget does not
// count: a final is not dropped while the bot is making progress.
const finishTimeout = 20 * time.Second

// maxFinishWait bounds delivering a turn's final state however long it
// waits for the chat or the bot's budget.
const maxFinishWait = 3 * time.Minute

// conclude delivers the final state, then stores the turn (when it should
// be), counting its tokens meanwhile, and reports the turn. The final goes
// out at once, waiting for nothing but the chat's pace. The store follows
// it because it releases the asker's lock: the asker's next turn, which
// may run on another replica with its own pace, starts only once this
// answer is on screen, so a user's answers arrive in the order asked. The
// lock is kept alive meanwhile, however long the final waits.
func (r *turnRun) conclude(ctx context.Context, err error) {
	f := r.outcome(ctx, err)
	keep := context.WithoutCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { r.countTokens(keep) })
	ferr := r.deliverFinal(keep, f)
	if f.store && r.streamed {
		r.save(keep, f.stopped)
	}
	wg.Wait()
	if ferr != nil {
		f = f.undelivered()
		err = errors.Join(err, ferr)
	}
	r.report(ctx, f, err)
}

// deliverFinal delivers the final state of a turn that ended with f,
// within maxFinishWait (the pacer bounds its own work by finishTimeout),
// and, once Shutdown has interrupted the engine, within its farewell
// deadline.
func (r *turnRun) deliverFinal(ctx context.Context, f failure) error {
	st := pace.State{Final: true, Note: f.note, EmptyNote: r.cat.EmptyAnswer}
	if f.keep {
		st.Reasoning, st.Answer = r.reasoning.String(), r.answer.String()
	}
	fctx, cancel := context.WithTimeout(ctx, maxFinishWait)
	defer cancel()
	defer r.e.boundByShutdown(cancel)()
	_, err := r.pacer.Finish(fctx, st)
	return err
}

// boundByShutdown calls cancel once Shutdown has interrupted the engine
// and its farewell deadline has passed (at once if Shutdown set none), so
// a final waiting out a long 429 pause does not hold Shutdown up. The
// returned func ends the watch and waits for it.
func (e *Engine) boundByShutdown(cancel context.CancelFunc) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		select {
		case <-e.base.Done():
		case <-done:
			return
		}
		e.mu.Lock()
		farewell := e.farewell
		e.mu.Unlock()
		if farewell == nil {
			cancel()
			return
		}
		select {
		case <-farewell.Done():
			cancel()
		case <-done:
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// countTokens counts the turn's tokens against the daily budgets.
func (r *turnRun) countTokens(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, finishTimeout)
	defer cancel()
	if err := r.e.budget.add(ctx, r.t.User, r.t.Chat, int64(r.chargedTokens())); err != nil {
		r.e.log.WarnContext(ctx, "count tokens", "chat", r.t.Chat, "err", err)
	}
}

// outcome is the failure (or success) a turn ended with.
func (r *turnRun) outcome(ctx context.Context, err error) failure {
	answered := strings.TrimSpace(r.answer.String()) != ""
	if cause := context.Cause(ctx); err == nil && errors.Is(cause, errLockLost) {
		err = cause // lost just as the answer ended: still not ours to store
	}
	if err != nil {
		return classify(ctx, err, r.cat, answered)
	}
	f := failure{outcome: OutcomeOK, keep: true, store: answered, level: slog.LevelInfo}
	switch {
	case r.capped:
		f.note = r.cat.AnswerCapped
	case r.finish == "length":
		f.note = r.cat.Truncated
	case !answered:
		f.note = r.cat.EmptyAnswer
	}
	return f
}

// save appends the turn, with its prepared images, to the chat's history.
func (r *turnRun) save(ctx context.Context, stopped bool) {
	refs := make([]memory.ImageRef, len(r.images))
	imgs := make([]memory.Image, len(r.images))
	for i, im := range r.images {
		refs[i], imgs[i] = im.img.Ref, im.img
	}
	t := memory.Turn{
		Tokens:     r.tokens(stopped),
		Images:     refs,
		SenderID:   r.t.Sender.ID,
		SenderName: r.t.Sender.Name,
		User:       r.storedText(),
		Assistant:  r.answer.String(),
		Stopped:    stopped,
		At:         r.e.clock.Now(),
		ID:         r.id,
	}
	ctx, cancel := context.WithTimeout(ctx, finishTimeout)
	defer cancel()
	switch err := r.append(ctx, t, imgs); {
	case errors.Is(err, memory.ErrLockLost):
		r.e.log.WarnContext(ctx, "chat lock lost before storing the turn; not stored", "chat", r.t.Chat)
	case err != nil:
		r.e.log.WarnContext(ctx, "store turn; kept to store before the chat's next turn", "chat", r.t.Chat, "err", err)
		r.e.keepUnsaved(ctx, r.t.Chat, unsavedTurn{turn: t, images: imgs, at: r.e.clock.Now()})
	}
}

// append stores t only while the turn still holds its lock: a lock lost
// after the turn ended (or was stopped) means another replica may run the
// asker's next turn, so the turn is not stored and memory.ErrLockLost is
// returned.
// The store checks the lock and appends in one atomic step.
func (r *turnRun) append(ctx context.Context, t memory.Turn, imgs []memory.Image) error {
	if r.lock == nil {
		return r.e.store.Append(ctx, r.t.Chat, t, imgs...)
	}
	select {
	case <-r.lock.Lost():
		return memory.ErrLockLost
	default:
	}
	return r.e.store.AppendAndRelease(ctx, r.t.Chat, r.lock, t, imgs...)
}

// tokens estimates what the turn will cost in later prompts: its images,
// its text and the answer (the model's count of output tokens without the
// reasoning, which is not re-sent, when the answer is complete).
func (r *turnRun) tokens(stopped bool) int {
	n := estimateTokens(r.text())
	for _, im := range r.images {
		n += im.tokens
	}
	if out := r.usage.OutputTokens - r.usage.ReasoningTokens; out > 0 && !stopped {
		return n + out
	}
	return n + estimateTokens(r.answer.String())
}

// estimateTokens guesses the tokens of s: about one per three bytes, which
// is about right for English words and for Chinese characters.
func estimateTokens(s string) int {
	return (len(s) + 2) / 3
}

// totalTokens returns the tokens a turn used.
func totalTokens(u llm.Usage) int {
	if u.TotalTokens > 0 {
		return u.TotalTokens
	}
	return u.InputTokens + u.OutputTokens
}

// report logs the turn's one line and tells the observer.
func (r *turnRun) report(ctx context.Context, f failure, err error) {
	now := r.e.clock.Now()
	rep := TurnReport{
		Platform:     r.platform,
		Outcome:      f.outcome,
		Queued:       r.queued,
		FirstToken:   r.firstToken,
		FirstVisible: time.Duration(r.firstVisible.Load()),
		Total:        now.Sub(r.start),
		Usage:        r.usage,
	}
	r.e.obs.TurnFinished(rep)
	msg := "turn"
	if f.outcome == OutcomeMisconfigured {
		msg = "model rejected the bot's configuration: check the API key, account and model"
		r.e.alertMisconfigured(ctx, err)
	}
	attrs := []slog.Attr{
		slog.String("chat", r.t.Chat), slog.String("outcome", string(f.outcome)),
		slog.Duration("queued", rep.Queued), slog.Duration("first_token", rep.FirstToken),
		slog.Duration("first_visible", rep.FirstVisible), slog.Duration("total", rep.Total),
		slog.Int("images", len(r.t.Images)), slog.Int("input_tokens", r.usage.InputTokens),
		slog.Int("output_tokens", r.usage.OutputTokens), slog.Int("reasoning_tokens", r.usage.ReasoningTokens),
	}
	if err != nil {
		attrs = append(attrs, slog.Any("err", err))
	}
	r.e.log.LogAttrs(context.WithoutCancel(ctx), f.level, msg, attrs...)
}
