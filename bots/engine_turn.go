package bots

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"

	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/bots/pace"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
)

// noDraftsFor is how long a chat whose drafts failed is streamed with
// send-then-edit instead.
const noDraftsFor = time.Hour

// turnRun is one running turn. Its fields are used by the turn's goroutine
// only, except firstVisible, which the pacer's hook sets.
type turnRun struct {
	e        *Engine
	t        Turn
	id       string // the turn's id, for its Stop button
	platform string
	queued   time.Duration
	start    time.Time
	cat      catalog
	settings memory.Settings
	info     llm.ModelInfo
	think    bool
	// placeholder is shown until the model says something.
	placeholder string
	// lock is the asker's lock in the chat once the turn holds it.
	lock   *memory.Lock
	images []preparedImage
	videos []preparedVideo
	hist   memory.History
	pacer  *pace.Reply
	// streamed is set once the model was asked: only then is a stopped or
	// interrupted turn worth storing.
	streamed bool

	firstToken   time.Duration
	firstVisible atomic.Int64 // nanoseconds since start; 0 until shown
	reasoning    strings.Builder
	answer       strings.Builder
	usage        llm.Usage
	finish       string
	// answerCap and reasoningCap count what was kept of each against
	// Config.MaxAnswerChars; capped is set once either reached it.
	answerCap, reasoningCap textCap
	capped                  bool
}

// runTurn answers one queued turn: under its asker's lock it loads the
// chat's history and settings, checks budgets, prepares images, streams
// the model's answer into the chat, and stores the turn. Every failure ends
// with a visible final message; nothing is returned.
func (e *Engine) runTurn(ctx context.Context, j job, run *runningJob) {
	defer j.turn.ended()
	ctx, cancel := context.WithTimeoutCause(ctx, e.cfg.TurnTimeout, errTurnTimeout)
	defer cancel()
	ctx, lose := context.WithCancelCause(ctx)
	defer lose(nil)
	r := &turnRun{
		e:        e,
		t:        j.turn,
		id:       j.id,
		platform: platformOf(j.turn.Chat),
		start:    e.clock.Now(),
		cat:      catalogFor(e.langFor(j.turn.Chat, j.turn.Lang)),
		info:     e.model(""),
	}
	r.answerCap.max, r.reasoningCap.max = e.cfg.MaxAnswerChars, e.cfg.MaxAnswerChars
	r.queued = r.start.Sub(j.at)
	e.obs.TurnStarted(r.platform)
	r.startPacer() // "typing…" while waiting for the lock
	e.awaitStops(ctx)
	lock, h, err := r.lockAndLoad(ctx, run.asker)
	if err != nil {
		e.abandonIfUnsure(err)
	} else {
		r.lock = lock
		release := e.holdLock(ctx, r.t.Chat, lock, run, lose)
		defer release()
		err = r.setup(ctx, h)
	}
	if err == nil {
		r.showPlaceholder()
		err = r.prepare(ctx)
	}
	if err == nil {
		err = r.stream(ctx)
	}
	r.conclude(ctx, err)
}

// holdLock keeps lock alive, also after ctx is cancelled, until the
// returned func is called, which then releases it. If the lock is lost
// meanwhile (it expired, or another replica took the chat), it calls lost
// with errLockLost, so the turn ends without being stored. Until release,
// run is marked as holding the lock (see stopAnywhere).
func (e *Engine) holdLock(ctx context.Context, chat string, lock *memory.Lock, run *runningJob, lost context.CancelCauseFunc) (release func()) {
	keep := context.WithoutCancel(ctx)
	e.markLocked(run, true)
	// Every half TTL: a turn of less than that makes no refresh, and a
	// failed refresh is tried again sooner.
	stop := lock.KeepAlive(keep, max(e.cfg.LockTTL/2, time.Millisecond))
	done, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-lock.Lost():
			lost(errLockLost)
		case <-done:
		}
	}()
	return func() {
		// run counts as holding the lock until Redis no longer has it, so
		// a stop meanwhile does not take the lock for another replica's.
		defer e.markLocked(run, false)
		stop()
		close(done)
		<-watched
		rctx, cancel := context.WithTimeout(keep, finishTimeout)
		defer cancel()
		if err := lock.Release(rctx); err != nil && !errors.Is(err, memory.ErrLockLost) {
			e.log.WarnContext(rctx, "release chat lock; retrying once Redis answers", "chat", chat, "err", err)
			e.abandon(lock)
		}
	}
}

// lockAndLoad takes the asker's lock and loads the chat's history with its
// settings: in one round trip, unless earlier turns of the chat wait to be
// stored again, which are then stored under the lock before the load.
func (r *turnRun) lockAndLoad(ctx context.Context, asker string) (*memory.Lock, memory.History, error) {
	e := r.e
	if !e.hasUnsaved(r.t.Chat) {
		lock, h, err := e.store.LockForAndLoad(ctx, r.t.Chat, asker, e.cfg.LockTTL, e.cfg.HistoryTurns, e.cfg.HistoryImages)
		if err != nil {
			return nil, memory.History{}, fmt.Errorf("lock chat and load history: %w", err)
		}
		return lock, h, nil
	}
	lock, err := e.store.LockFor(ctx, r.t.Chat, asker, e.cfg.LockTTL)
	if err != nil {
		return nil, memory.History{}, fmt.Errorf("lock chat: %w", err)
	}
	e.flushUnsaved(ctx, r.t.Chat, lock)
	h, err := e.store.Load(ctx, r.t.Chat, e.cfg.HistoryTurns, e.cfg.HistoryImages)
	if err != nil {
		return nil, memory.History{}, errors.Join(fmt.Errorf("load history: %w", err), lock.Release(context.WithoutCancel(ctx)))
	}
	return lock, h, nil
}

// setup takes the chat's history with its settings and checks the daily
// budgets.
func (r *turnRun) setup(ctx context.Context, h memory.History) error {
	r.hist, r.settings = h, h.Settings
	s := h.Settings
	r.cat = catalogFor(chatLang(s.Lang, r.t.Lang, r.e.cfg.Language))
	r.e.langs.set(r.t.Chat, s.Lang)
	r.info = r.e.model(s.Model)
	r.think = thinkingFor(r.info, r.t.Think, s.Thinking, r.e.cfg.Thinking)
	return r.e.budget.check(ctx, r.t.User, r.t.Chat)
}

// thinkingFor decides whether a turn asks the model to think: the turn's
// override, else the chat's setting, else the default, as far as the model
// can.
func thinkingFor(info llm.ModelInfo, turn, chat *bool, def bool) bool {
	switch {
	case info.Thinking == llm.ThinkingAlways:
		return true
	case info.Thinking == llm.ThinkingNone:
		return false
	case turn != nil:
		return *turn
	case chat != nil:
		return *chat
	}
	return def
}

// startPacer starts streaming the reply into the chat. It shows "typing…"
// until the placeholder or the answer does.
func (r *turnRun) startPacer() {
	e := r.e
	limits := r.t.Surface.Limits()
	r.pacer = pace.NewReply(pace.ReplyConfig{
		Surface:    r.t.Surface,
		Gate:       e.gate(paceKey(r.t.Chat, r.t.PaceKey), limits),
		Clock:      e.clock,
		Layout:     pace.LayoutFor(limits),
		ReplyTo:    r.t.ReplyTo,
		StopID:     r.id,
		DraftID:    e.draftID(r.t.Chat),
		FinishWork: finishTimeout,
		// A negative delay shows the placeholder at once, as zero does.
		PlaceholderAfter: max(e.cfg.PlaceholderDelay, 0),
		Log:              e.log,
		Hooks:            r.hooks(),
	})
	r.pacer.Start(e.base)
}

// showPlaceholder shows the placeholder, which says whether the model was
// asked to think, once the turn holds its lock.
func (r *turnRun) showPlaceholder() {
	r.placeholder = r.cat.Placeholder
	if r.think {
		r.placeholder = r.cat.ThinkingPlaceholder
	}
	r.pacer.Update(r.state())
}

// state is what the model produced so far, to show.
func (r *turnRun) state() pace.State {
	return pace.State{Placeholder: r.placeholder, Reasoning: r.reasoning.String(), Answer: r.answer.String()}
}

// hooks feed the pacer's events to the observer.
func (r *turnRun) hooks() pace.Hooks {
	e := r.e
	return pace.Hooks{
		OnRequest: func(kind string, _ time.Duration, err error) {
			if err == nil && kind != "typing" && kind != "delete" {
				e.obs.EditSent(r.platform)
			}
		},
		On429: func(time.Duration) { e.obs.RateLimited(r.platform) },
		OnFirstVisible: func(time.Duration) {
			r.firstVisible.CompareAndSwap(0, int64(max(e.clock.Now().Sub(r.start), 1)))
		},
		OnDraftFailed: func(error) { e.dropDrafts(r.t.Chat) },
	}
}

// draftID returns a fresh draft id in [1, 2³¹-1], or 0 (no drafts) for a
// chat whose drafts failed recently.
func (e *Engine) draftID(chat string) int64 {
	e.mu.Lock()
	failed, ok := e.noDrafts[chat]
	e.mu.Unlock()
	if ok && e.clock.Now().Sub(failed) < noDraftsFor {
		return 0
	}
	return (e.drafts.Add(1)-1)%math.MaxInt32 + 1
}

// dropDrafts stops offering drafts in chat for a while.
func (e *Engine) dropDrafts(chat string) {
	now := e.clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, at := range e.noDrafts {
		if now.Sub(at) >= noDraftsFor {
			delete(e.noDrafts, k)
		}
	}
	e.noDrafts[chat] = now
}

// prepare shrinks the turn's images and reads its videos' frames.
func (r *turnRun) prepare(ctx context.Context) error {
	if err := r.prepareImages(ctx, r.pixelBudget()); err != nil {
		return err
	}
	return r.prepareVideos(ctx)
}

// pixelBudget is the most pixels an image may keep: the configured budget,
// else the model's default (its high-resolution one when asked for).
func (r *turnRun) pixelBudget() int {
	return r.info.PixelBudget(r.e.cfg.MaxPixels, r.e.cfg.HighResolution)
}

// prepareImages checks, orients and shrinks the turn's images to at most
// maxPixels each, several at once (see prepareAll).
func (r *turnRun) prepareImages(ctx context.Context, maxPixels int) error {
	opt := imaging.Options{MaxPixels: maxPixels, MaxInputBytes: r.e.cfg.MaxImageBytes, PatchSize: r.info.PatchSize}
	results, err := prepareAll(ctx, r.e.cfg.Images, r.t.Images, opt)
	if err != nil {
		return err
	}
	out := make([]preparedImage, 0, len(results))
	for i, res := range results {
		up := r.t.Images[i]
		r.e.obs.ImageBytes(len(up.Data), len(res.Data))
		r.e.log.DebugContext(ctx, "prepared image", "chat", r.t.Chat,
			"from", fmt.Sprintf("%dx%d", res.OrigWidth, res.OrigHeight), "to", fmt.Sprintf("%dx%d", res.Width, res.Height),
			"bytes_in", res.OrigBytes, "bytes_out", len(res.Data), "tokens", res.Tokens)
		out = append(out, preparedImage{img: memory.NewImage(res.MIME, res.Data, res.Width, res.Height), tokens: res.Tokens})
	}
	r.images = out
	return nil
}

// text is the user's prompt as sent and stored: the photo prompt for a
// photo without text, the video prompt for clips alone.
func (r *turnRun) text() string {
	switch {
	case r.t.Text == "" && len(r.t.Images) > 0:
		if r.e.cfg.PhotoPrompt != "" {
			return r.e.cfg.PhotoPrompt
		}
		return r.cat.PhotoPrompt
	case r.t.Text == "" && len(r.t.Videos) > 0:
		return r.cat.VideoPrompt
	}
	return r.t.Text
}
