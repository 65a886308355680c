package pace

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// defaultTypingEvery refreshes "typing…" before Telegram's 5 s expiry.
const defaultTypingEvery = 4500 * time.Millisecond

// State is one state of a reply: what the model has produced so far.
type State struct {
	// Placeholder is shown until the model says something; empty shows
	// nothing (only "typing…").
	Placeholder string
	// Reasoning is the model's thinking so far.
	Reasoning string
	// Answer is the answer so far, in Markdown.
	Answer string
	// Final marks the last state; Finish sets it.
	Final bool
	// Note is shown visibly at the end, e.g. "⚠️ interrupted: …".
	Note string
	// EmptyNote is the Note of a final state that has neither a Note nor
	// an answer to show, so a reply never ends at the placeholder.
	EmptyNote string
}

// LayoutFunc turns a state into the message parts to show, in order. Each
// part is rendered in format f (FormatPlain after the platform rejected the
// markup) and fits Limits.MaxLen. It decides what a state looks like, e.g.
// a "Thinking…" section while only Reasoning is set, and must show
// something for every final state. Empty parts are not shown. It is called
// only from the pacer's goroutine, and the pacer may modify the slice.
type LayoutFunc func(st State, f Format) []string

// Hooks observe a pacer, for metrics and for remembering per chat that
// drafts failed. Nil hooks are skipped. They run on the pacer's goroutine
// and must not block.
type Hooks struct {
	// OnRequest follows every request to the surface: its kind ("send",
	// "edit", "draft", "delete", "typing"), duration and error.
	OnRequest func(kind string, took time.Duration, err error)
	// On429 follows every rate-limit answer, with the pause it asked for.
	On429 func(after time.Duration)
	// OnFirstVisible fires once, when the reply first shows anything (its
	// placeholder or text), with the time since Start.
	OnFirstVisible func(latency time.Duration)
	// OnFirstText fires once, when the reply first shows the model's text
	// (reasoning or answer), with the time since Start.
	OnFirstText func(latency time.Duration)
	// OnDraftFailed fires when drafting fails and the reply falls back to
	// send-then-edit; the engine may stop offering drafts in that chat.
	OnDraftFailed func(err error)
}

// ReplyConfig configures one Reply. Surface and Gate are required; Layout
// defaults to LayoutFor(Surface.Limits()).
type ReplyConfig struct {
	Surface Surface
	// Gate paces the chat; share it with every reply in the chat.
	Gate *Gate
	// Clock defaults to SystemClock.
	Clock  Clock
	Layout LayoutFunc
	// ReplyTo is the message that triggered the reply; the first part
	// replies to it, each further part to the part before it.
	ReplyTo MessageRef
	// StopID is the Outgoing.StopID of the messages with a stop button.
	StopID string
	// DraftID enables drafts when non-zero, Surface.Limits().Drafts is set
	// and Surface implements Drafter.
	DraftID int64
	// TypingEvery is how often "typing…" is refreshed until the reply shows
	// text; default 4.5 s.
	TypingEvery time.Duration
	// PlaceholderAfter is how long after Start a state's Placeholder may
	// first be shown, while the model has said nothing: until then the
	// chat sees "typing…", and the model's first text, should it come
	// sooner, is the reply's first message. Zero shows it at once.
	PlaceholderAfter time.Duration
	// FinishWork bounds the time Finish spends making requests and
	// backing off after errors; time waiting for the Gate does not count.
	// Zero means only Finish's context bounds it.
	FinishWork time.Duration
	// Log defaults to slog.Default().
	Log   *slog.Logger
	Hooks Hooks
}

// shownMsg is one real message of the reply as last shown.
type shownMsg struct {
	ref MessageRef
	out Outgoing // ReplyTo is not kept
}

// Reply streams one reply into a chat (its "pacer"). The model's goroutine calls Update
// with each new state; the pacer's own goroutine shows the newest state as
// fast as the chat's Gate allows, dropping states that were overtaken, and
// is the only one to call the Surface, so no message ever has two requests
// in flight. Finish delivers the final state and stops the goroutine.
//
// Lifecycle: NewReply, Start once, Update any number of times from one or
// more goroutines, Finish once. Finish may be called without Start.
type Reply struct {
	surface Surface
	drafter Drafter // nil when the reply does not stream through drafts
	gate    *Gate
	clock   Clock
	layout  LayoutFunc
	limits  Limits
	cfg     ReplyConfig
	log     *slog.Logger
	wake    chan struct{} // buffered 1: "something changed"
	done    chan struct{} // closed when the goroutine has exited

	startOnce sync.Once
	cancelRun context.CancelFunc

	mu      sync.Mutex
	latest  State
	version uint64
	final   *State
	finCtx  context.Context
	// abortWait ends the wait of an intermediate request for the gate.
	abortWait context.CancelFunc
	// placeholderDue is set once a placeholder may be shown.
	placeholderDue bool

	// Owned by the goroutine; read by Finish after done is closed.
	msgs     []shownMsg
	draft    Outgoing // the draft as last shown
	plain    bool     // the platform rejected the markup: plain from now on
	noRich   bool     // the platform refused a rich state: HTML from now on
	noReply  bool     // the message to reply to is gone
	visible  bool
	texted   bool   // the model's text was shown
	promised int    // requests still reserved in the gate: first text, final
	settled  uint64 // the newest version with nothing left to show
	started  time.Time
	typingC  <-chan time.Time
	finalErr error
	blocked  error // ErrUndeliverable from the platform: send nothing more

	laidKey   layoutKey // the state laid out last, and its parts
	laidParts []string
	laidOut   bool
}

// NewReply returns a Reply; call Start to begin pacing.
func NewReply(cfg ReplyConfig) *Reply {
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.TypingEvery <= 0 {
		cfg.TypingEvery = defaultTypingEvery
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Layout == nil {
		cfg.Layout = LayoutFor(cfg.Surface.Limits())
	}
	p := &Reply{
		surface: cfg.Surface,
		gate:    cfg.Gate,
		clock:   cfg.Clock,
		layout:  cfg.Layout,
		limits:  cfg.Surface.Limits(),
		cfg:     cfg,
		log:     cfg.Log,
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	if d, ok := cfg.Surface.(Drafter); ok && p.limits.Drafts && cfg.DraftID != 0 {
		p.drafter = d
	}
	return p
}

// Start starts the pacer's goroutine, which Finish waits for. ctx bounds
// the streaming phase: once it ends the pacer sends no more intermediate
// states (and a request in flight is cancelled), but Finish still delivers
// the final state under its own context. So pass a context that ends only
// when the reply is abandoned (shutdown), not the model stream's context
// that /stop cancels. Calls after the first do nothing.
func (p *Reply) Start(ctx context.Context) {
	p.startOnce.Do(func() {
		p.started = p.clock.Now()
		p.promised = 2
		p.gate.Reserve(p.promised)
		var placeholder <-chan time.Time
		if p.cfg.PlaceholderAfter > 0 {
			placeholder = p.clock.After(p.cfg.PlaceholderAfter)
		} else {
			p.placeholderDue = true
		}
		runCtx, cancel := context.WithCancel(ctx)
		p.cancelRun = cancel
		go p.run(runCtx, placeholder)
	})
}

// Update makes st the newest state to show. It never blocks: a state that is
// overtaken before the chat may be edited again is never shown. Updates
// after Finish are ignored. Safe for concurrent use.
func (p *Reply) Update(st State) {
	p.mu.Lock()
	if p.final != nil {
		p.mu.Unlock()
		return
	}
	st.Final = false
	p.latest = st
	p.version++
	p.mu.Unlock()
	p.signal()
}

// Finish delivers st as the final state: it waits for any request in
// flight, then shows st (with Final set: the stop button removed, the Note
// shown, drafts turned into real messages), retrying through 429s and
// errors with backoff for as long as ctx allows. It stops the typing
// indicator and the goroutine, and returns the reply's messages in order,
// with an error if the final state could not be fully delivered before ctx
// ended. Later calls wait for the first and return its result.
func (p *Reply) Finish(ctx context.Context, st State) ([]MessageRef, error) {
	p.Start(ctx)
	st.Final = true
	p.mu.Lock()
	first := p.final == nil
	if first {
		p.final, p.finCtx = &st, ctx
		if p.abortWait != nil {
			p.abortWait() // the final state overtakes a waiting intermediate one
		}
	}
	p.mu.Unlock()
	if first {
		stop := context.AfterFunc(ctx, p.cancelRun)
		defer stop()
		p.signal()
	}
	<-p.done
	p.cancelRun()
	refs := make([]MessageRef, 0, len(p.msgs))
	for _, m := range p.msgs {
		if !m.ref.IsZero() {
			refs = append(refs, m.ref)
		}
	}
	return refs, p.finalErr
}

// signal wakes the goroutine without blocking.
func (p *Reply) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// current returns the state to show and its version: the final state once
// Finish was called, else the newest Update, without its placeholder while
// that is not due.
func (p *Reply) current() (State, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.final != nil {
		return *p.final, p.version
	}
	st := p.latest
	if !p.placeholderDue {
		st.Placeholder = ""
	}
	return st, p.version
}

// placeholderNowDue lets the placeholder show, as a new version of the
// state.
func (p *Reply) placeholderNowDue() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.placeholderDue = true
	p.version++
}

// finishing returns Finish's context once Finish was called, else nil.
func (p *Reply) finishing() context.Context {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.finCtx
}

// run is the Reply's goroutine: it shows states until Finish, then delivers
// the final one; placeholder fires when the placeholder is due. It gives
// the room it promised in the gate back when it ends.
func (p *Reply) run(ctx context.Context, placeholder <-chan time.Time) {
	defer close(p.done)
	defer func() { p.gate.Release(p.promised) }()
	for {
		if finCtx := p.finishing(); finCtx != nil {
			p.finalErr = p.deliver(finCtx)
			return
		}
		_, ver := p.current()
		if ctx.Err() == nil && ver != p.settled && p.blocked == nil {
			p.step(ctx)
			continue
		}
		if p.idle(ctx, placeholder) {
			placeholder = nil
			p.placeholderNowDue()
		}
	}
}

// idle waits for an Update or Finish, keeping "typing…" alive meanwhile
// until the reply shows text. It reports whether the placeholder became
// due.
func (p *Reply) idle(ctx context.Context, placeholder <-chan time.Time) bool {
	done := ctx.Done()
	if ctx.Err() != nil {
		done = nil // only Finish can wake us now
	}
	var typing <-chan time.Time
	if !p.visible && done != nil && p.blocked == nil {
		if p.typingC == nil {
			p.sendTyping(ctx)
			p.typingC = p.clock.After(p.cfg.TypingEvery)
		}
		typing = p.typingC
	}
	select {
	case <-p.wake:
	case <-typing:
		p.typingC = nil
	case <-placeholder:
		return true
	case <-done:
	}
	return false
}

// sendTyping shows "typing…" if the chat's slot is free right now.
func (p *Reply) sendTyping(ctx context.Context) {
	if !p.gate.TryAction() {
		return
	}
	start := p.clock.Now()
	err := p.surface.Typing(ctx)
	p.gate.Done()
	if h := p.cfg.Hooks.OnRequest; h != nil {
		h("typing", p.clock.Now().Sub(start), err)
	}
	if err == nil {
		return
	}
	var ra *RetryAfterError
	switch {
	case errors.As(err, &ra):
		p.pause(ra)
	case errors.Is(err, ErrUndeliverable):
		p.blocked = err
	default:
		p.log.DebugContext(ctx, "show typing", "err", err)
	}
}

// pause stops this chat for as long as the platform asked.
func (p *Reply) pause(ra *RetryAfterError) {
	after := ra.After
	if after <= 0 {
		after = time.Second
	}
	p.gate.Pause(after)
	if h := p.cfg.Hooks.On429; h != nil {
		h(after)
	}
}
