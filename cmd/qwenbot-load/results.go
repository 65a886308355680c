package main

import (
	"slices"
	"time"
)

// worldResult is what the world measured: everything visible from
// Telegram's and DashScope's side.
type worldResult struct {
	Chats  int `json:"chats"`
	Groups int `json:"groups"`
	// Turns is the messages the main bot's users sent; each expects a
	// final answer. Delivered counts the finals that arrived.
	Turns     int `json:"turns"`
	Delivered int `json:"delivered"`
	// TG counts the main bot's requests and 429s.
	TG tgStats `json:"tg"`
	// FirstVisible is from the model's first token to the first visible
	// change of the reply (a placeholder shown earlier counts as 0);
	// FirstText to the first change showing model text.
	FirstVisible summary `json:"first_visible"`
	FirstText    summary `json:"first_text"`
	// FirstTextPrivate and FirstTextGroup split FirstText by chat kind.
	FirstTextPrivate summary `json:"first_text_private"`
	FirstTextGroup   summary `json:"first_text_group"`
	// Final is from the model's last answer chunk to the final answer on
	// screen, also split by chat kind; Question from the user's message
	// to it.
	Final        summary `json:"final"`
	FinalPrivate summary `json:"final_private"`
	FinalGroup   summary `json:"final_group"`
	Question     summary `json:"question"`
	// ToRequest is from the user's message to the model request, over
	// every turn of the load (text questions).
	ToRequest summary `json:"to_request"`
	// Replies are the group burst's replies, in the askers' order.
	Replies []replyResult `json:"replies,omitempty"`
	// StalePrivate and StaleGroup are, per answer frame, the time from the
	// frame leaving the model to the chat showing it.
	StalePrivate summary `json:"stale_private"`
	StaleGroup   summary `json:"stale_group"`
	// EditsPerReply is the mean visible changes (sends, edits, drafts) per
	// delivered reply.
	EditsPerReply float64 `json:"edits_per_reply"`
	LLMRequests   int64   `json:"llm_requests"`
	Seconds       float64 `json:"seconds"`
}

// imageResult is what the image conversation measured.
type imageResult struct {
	// Tokens are the input tokens of each turn, in order (0: not
	// measured); Delivered counts the answers that arrived.
	Tokens    []int `json:"tokens"`
	Delivered int   `json:"delivered"`
	// ToRequest is from each photo's message to the model request.
	ToRequest summary `json:"to_request"`
}

// replyResult is one reply's latencies, in milliseconds (-1: never).
type replyResult struct {
	Asker     int     `json:"asker"`
	Delivered bool    `json:"delivered"`
	FirstText float64 `json:"first_text_ms"`
	Final     float64 `json:"final_ms"`
	Question  float64 `json:"question_ms"`
}

// newReplyResult is the reply to asker's question.
func newReplyResult(asker int, s turnStats) replyResult {
	orNever := func(d time.Duration) float64 {
		if d < 0 {
			return -1
		}
		return ms(d)
	}
	return replyResult{Asker: asker, Delivered: s.delivered, FirstText: orNever(s.firstText),
		Final: orNever(s.finalAfterLast), Question: orNever(s.question)}
}

// samples gathers one kind of chat's latencies.
type samples struct {
	first, text, final, question, toRequest, stale []time.Duration
}

// add adds a delivered turn's latencies.
func (p *samples) add(s turnStats) {
	for _, x := range []struct {
		d   time.Duration
		dst *[]time.Duration
	}{{s.firstVisible, &p.first}, {s.firstText, &p.text}, {s.finalAfterLast, &p.final}, {s.question, &p.question}, {s.toRequest, &p.toRequest}} {
		if x.d >= 0 {
			*x.dst = append(*x.dst, x.d)
		}
	}
	p.stale = append(p.stale, s.staleness...)
}

// collect sums up the turns once every chat is done.
func (w *world) collect(took time.Duration) worldResult {
	r := worldResult{Chats: len(w.list), TG: w.mainBot.snapshot(), LLMRequests: w.llm.requests.Load(),
		Seconds: round2(took.Seconds())}
	var priv, group samples
	edits := 0
	for _, c := range w.list {
		kind := &priv
		if c.group {
			r.Groups++
			kind = &group
		}
		for _, t := range c.turns {
			s := t.stats()
			r.Turns++
			if c.askers != nil {
				r.Replies = append(r.Replies, newReplyResult(t.n, s))
			}
			if !s.delivered {
				continue
			}
			r.Delivered++
			edits += s.edits
			kind.add(s)
		}
	}
	r.FirstVisible = summarize(append(priv.first, group.first...))
	r.FirstText = summarize(append(slices.Clone(priv.text), group.text...))
	r.FirstTextPrivate, r.FirstTextGroup = summarize(priv.text), summarize(group.text)
	r.Final = summarize(append(slices.Clone(priv.final), group.final...))
	r.FinalPrivate, r.FinalGroup = summarize(priv.final), summarize(group.final)
	r.Question = summarize(append(priv.question, group.question...))
	r.ToRequest = summarize(append(priv.toRequest, group.toRequest...))
	r.StalePrivate, r.StaleGroup = summarize(priv.stale), summarize(group.stale)
	if r.Delivered > 0 {
		r.EditsPerReply = round2(float64(edits) / float64(r.Delivered))
	}
	return r
}

// collectImage sums up the image conversation once it is done.
func (w *world) collectImage() imageResult {
	var r imageResult
	var toRequest []time.Duration
	for _, t := range w.imageChat.turns {
		s := t.stats()
		r.Tokens = append(r.Tokens, s.inputTokens)
		if s.toRequest >= 0 {
			toRequest = append(toRequest, s.toRequest)
		}
		if s.delivered {
			r.Delivered++
		}
	}
	r.ToRequest = summarize(toRequest)
	return r
}
