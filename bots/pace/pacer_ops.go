package pace

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// opKind is the kind of one request a pacer makes.
type opKind int

const (
	opNone opKind = iota
	opSend
	opEdit
	opDraft
	opDelete
)

// String returns the request's name, as passed to Hooks.OnRequest.
func (k opKind) String() string {
	switch k {
	case opSend:
		return "send"
	case opEdit:
		return "edit"
	case opDraft:
		return "draft"
	case opDelete:
		return "delete"
	default:
		return "none"
	}
}

// op is one request that brings the chat closer to a state.
type op struct {
	kind opKind
	idx  int // message index (part index for opDraft)
	out  Outgoing
	text bool // the state shows the model's text
}

// outcome is what the pacer does after a request.
type outcome int

const (
	// outcomeDone: the request took effect (or had nothing to change).
	outcomeDone outcome = iota
	// outcomeRetry: the pacer adapted (paused, went plain, lost a message);
	// show the newest state again through the gate.
	outcomeRetry
	// outcomeFailed: the request failed for a reason the pacer cannot fix.
	outcomeFailed
	// outcomeUndeliverable: the chat takes no messages from the bot; the
	// pacer sends nothing more.
	outcomeUndeliverable
)

// format returns the format parts are rendered in now.
func (p *Reply) format() Format {
	switch {
	case p.plain:
		return FormatPlain
	case p.noRich && p.limits.Format == FormatRich:
		return FormatHTML
	}
	return p.limits.Format
}

// fallBack makes the rest of the reply use the next simpler format after
// the platform refused a state in format f: rich → HTML → plain.
func (p *Reply) fallBack(f Format) {
	if f == FormatRich {
		p.noRich = true
		return
	}
	p.plain = true
}

// layoutKey identifies a laid-out state: the same version of the state,
// finality and format always lay out the same.
type layoutKey struct {
	ver   uint64
	final bool
	f     Format
}

// partsOf returns the non-empty parts of layout(st, f) for st at version
// ver. It reuses the previous result for the same key, since the pacer looks
// at one state several times and layout may render Markdown.
func (p *Reply) partsOf(ctx context.Context, st State, ver uint64, f Format) []string {
	k := layoutKey{ver: ver, final: st.Final, f: f}
	if p.laidOut && p.laidKey == k {
		return p.laidParts
	}
	parts := slices.DeleteFunc(p.layout(st, f), func(s string) bool { return s == "" })
	if st.Final && len(parts) == 0 && len(p.msgs) > 0 {
		// A layout bug must not delete the reply: keep what is shown
		// (without the stop button).
		p.log.WarnContext(ctx, "layout showed nothing for a final state; keeping the reply as shown")
		for _, m := range p.msgs {
			parts = append(parts, m.out.Text)
		}
	}
	p.laidParts, p.laidKey, p.laidOut = parts, k, true
	return parts
}

// nextOp returns the first request needed to show st (at version ver), in
// message order: send or edit each part (the draft for the last part while
// drafting), then on the final state delete messages the layout no longer
// needs.
func (p *Reply) nextOp(ctx context.Context, st State, ver uint64) op {
	o := p.nextOpOf(ctx, st, ver)
	o.text = st.Reasoning != "" || strings.TrimSpace(st.Answer) != ""
	return o
}

// nextOpOf is nextOp without noting whether st shows the model's text.
func (p *Reply) nextOpOf(ctx context.Context, st State, ver uint64) op {
	f := p.format()
	parts := p.partsOf(ctx, st, ver, f)
	drafting := p.drafter != nil && !st.Final
	for i, text := range parts {
		last := i == len(parts)-1
		if last && drafting {
			want := Outgoing{Text: text, Format: f}
			if want != p.draft {
				return op{kind: opDraft, idx: i, out: want}
			}
			break
		}
		want := Outgoing{Text: text, Format: f, StopButton: last && !st.Final}
		if want.StopButton {
			want.StopID = p.cfg.StopID
		}
		if i >= len(p.msgs) || p.msgs[i].ref.IsZero() {
			want.ReplyTo = p.replyTo(i)
			return op{kind: opSend, idx: i, out: want}
		}
		if p.msgs[i].out != want {
			return op{kind: opEdit, idx: i, out: want}
		}
	}
	if st.Final && len(p.msgs) > len(parts) {
		return op{kind: opDelete, idx: len(p.msgs) - 1}
	}
	return op{}
}

// replyTo returns what the message for part i replies to.
func (p *Reply) replyTo(i int) MessageRef {
	switch {
	case p.noReply:
		return MessageRef{}
	case i == 0:
		return p.cfg.ReplyTo
	default:
		return p.msgs[i-1].ref
	}
}

// step makes one request towards the newest state, through the gate.
func (p *Reply) step(ctx context.Context) {
	st, ver := p.current()
	if p.nextOp(ctx, st, ver).kind == opNone {
		p.settled = ver
		return
	}
	wctx, release, ok := p.waitContext(ctx)
	if !ok {
		return // Finish arrived: run delivers the final state
	}
	err := p.gate.Wait(wctx, p.priority())
	release()
	if err != nil {
		return // ctx ended or Finish arrived: run idles or delivers
	}
	st, ver = p.current() // newer states arrived while we waited
	o := p.nextOp(ctx, st, ver)
	if o.kind == opNone {
		p.gate.Done()
		p.settled = ver
		return
	}
	err = p.do(ctx, o)
	p.gate.Done()
	switch p.handle(ctx, o, err) {
	case outcomeFailed:
		p.log.DebugContext(ctx, "show reply state", "op", o.kind.String(), "err", err)
		p.settled = ver // try again with the next Update, or in Finish
	case outcomeUndeliverable:
		p.settled = ver
	}
}

// priority returns the priority of the reply's next request before its
// final state: until the model's text is shown, PriorityFirst, which the
// chat serves as soon as its limits allow; after that, intermediate.
func (p *Reply) priority() Priority {
	if p.texted {
		return PriorityIntermediate
	}
	return PriorityFirst
}

// waitContext returns the context an intermediate request waits for the
// gate under: it ends with ctx or when Finish is called, so a waiting
// intermediate state gives way to the final one. release must be called
// after the wait. ok is false when Finish was called already.
func (p *Reply) waitContext(ctx context.Context) (wctx context.Context, release func(), ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.final != nil {
		return nil, nil, false
	}
	wctx, cancel := context.WithCancel(ctx)
	p.abortWait = cancel
	return wctx, func() {
		p.mu.Lock()
		p.abortWait = nil
		p.mu.Unlock()
		cancel()
	}, true
}

// do makes the request o and records its effect.
func (p *Reply) do(ctx context.Context, o op) error {
	start := p.clock.Now()
	var err error
	switch o.kind {
	case opSend:
		var ref MessageRef
		ref, err = p.surface.Send(ctx, o.out)
		if err == nil {
			p.recordSent(o.idx, ref, o.out)
			p.markVisible(o.text)
		}
	case opEdit:
		err = p.surface.Edit(ctx, p.msgs[o.idx].ref, o.out)
		if err == nil || errors.Is(err, ErrNotModified) {
			p.msgs[o.idx].out = o.out
			p.markText(o.text)
		}
	case opDraft:
		err = p.drafter.Draft(ctx, p.cfg.DraftID, o.out)
		if err == nil || errors.Is(err, ErrNotModified) {
			p.draft = o.out
			p.markVisible(o.text)
		}
	case opDelete:
		ref := p.msgs[o.idx].ref
		if ref.IsZero() { // lost already: nothing to ask the platform
			p.msgs = p.msgs[:o.idx]
			return nil
		}
		err = p.surface.Delete(ctx, ref)
		if err == nil {
			p.msgs = p.msgs[:o.idx]
		}
	}
	if h := p.cfg.Hooks.OnRequest; h != nil {
		h(o.kind.String(), p.clock.Now().Sub(start), err)
	}
	return err
}

// recordSent remembers the message sent for part i.
func (p *Reply) recordSent(i int, ref MessageRef, out Outgoing) {
	out.ReplyTo = MessageRef{}
	m := shownMsg{ref: ref, out: out}
	if i < len(p.msgs) {
		p.msgs[i] = m
	} else {
		p.msgs = append(p.msgs, m)
	}
}

// markVisible notes that the reply shows something now, the model's text
// if text is set.
func (p *Reply) markVisible(text bool) {
	if !p.visible {
		p.visible = true
		if h := p.cfg.Hooks.OnFirstVisible; h != nil {
			h(p.clock.Now().Sub(p.started))
		}
	}
	p.markText(text)
}

// markText notes, if text is set, that the reply shows the model's text
// now; the first time, the gate's room promised for it is released.
func (p *Reply) markText(text bool) {
	if !text || p.texted {
		return
	}
	p.texted = true
	p.promised--
	p.gate.Release(1)
	if h := p.cfg.Hooks.OnFirstText; h != nil {
		h(p.clock.Now().Sub(p.started))
	}
}

// handle adapts the pacer to the result of request o.
func (p *Reply) handle(ctx context.Context, o op, err error) outcome {
	if err == nil {
		return outcomeDone
	}
	var ra *RetryAfterError // escapes: allocate only on errors
	switch {
	case errors.As(err, &ra):
		p.pause(ra)
		return outcomeRetry
	case errors.Is(err, ErrUndeliverable):
		p.blocked = err
		return outcomeUndeliverable
	case errors.Is(err, ErrNotModified) && o.kind != opSend:
		return outcomeDone
	case o.kind == opDelete:
		p.msgs = p.msgs[:o.idx] // gone or undeletable: stop tracking it
		return outcomeDone
	case errors.Is(err, ErrBadFormat) && o.out.Format != FormatPlain:
		p.fallBack(o.out.Format)
		return outcomeRetry
	case errors.Is(err, ErrTooLong) && o.out.Format != FormatPlain:
		p.log.WarnContext(ctx, "layout produced a part over the limit; falling back to a simpler format",
			"op", o.kind.String(), "format", o.out.Format.String(), "err", err)
		p.fallBack(o.out.Format)
		return outcomeRetry
	case o.kind == opDraft:
		return p.stopDrafting(ctx, err)
	case errors.Is(err, ErrGone) && o.kind == opEdit:
		p.msgs[o.idx].ref = MessageRef{} // continue in a new message
		return outcomeRetry
	case errors.Is(err, ErrGone) && o.kind == opSend && !o.out.ReplyTo.IsZero():
		p.noReply = true
		return outcomeRetry
	default:
		return outcomeFailed
	}
}

// stopDrafting falls back to send-then-edit for the rest of the reply.
func (p *Reply) stopDrafting(ctx context.Context, err error) outcome {
	p.log.DebugContext(ctx, "draft failed; falling back to send and edit", "err", err)
	p.drafter = nil
	if h := p.cfg.Hooks.OnDraftFailed; h != nil {
		h(err)
	}
	return outcomeRetry
}
