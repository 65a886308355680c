package main

import (
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
}

// collect sums up the turns once every chat is done.
func (w *world) collect(took time.Duration) worldResult {
	r := worldResult{Chats: len(w.list), TG: w.mainBot.snapshot(), LLMRequests: w.llm.requests.Load(),
		Seconds: round2(took.Seconds())}
	var first, text, stalePriv, staleGroup []time.Duration
	edits := 0
	for _, c := range w.list {
		if c.group {
			r.Groups++
		}
		for _, t := range c.turns {
			s := t.stats()
			r.Turns++
			if !s.delivered {
				continue
			}
			r.Delivered++
			edits += s.edits
			if s.firstVisible >= 0 {
				first = append(first, s.firstVisible)
			}
			if s.firstText >= 0 {
				text = append(text, s.firstText)
			}
			if c.group {
				staleGroup = append(staleGroup, s.staleness...)
			} else {
				stalePriv = append(stalePriv, s.staleness...)
			}
		}
	}
	r.FirstVisible, r.FirstText = summarize(first), summarize(text)
	r.StalePrivate, r.StaleGroup = summarize(stalePriv), summarize(staleGroup)
	if r.Delivered > 0 {
		r.EditsPerReply = round2(float64(edits) / float64(r.Delivered))
	}
	return r
}

// collectImage sums up the image conversation once it is done.
func (w *world) collectImage() imageResult {
	var r imageResult
	for _, t := range w.imageChat.turns {
		s := t.stats()
		r.Tokens = append(r.Tokens, s.inputTokens)
		if s.delivered {
			r.Delivered++
		}
	}
	return r
}
