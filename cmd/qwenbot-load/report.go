package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Targets of the issue.
const (
	targetFirstVisibleSlack = 20 * time.Millisecond
	// targetFirstTextSlack: the first model text on screen, p99, and the
	// final answer, p95, one round trip plus this after the model's
	// first and last chunk.
	targetFirstTextSlack = 50 * time.Millisecond
	targetFinalP99       = time.Second
	targetHeapPerStream  = 64 << 10
	targetTokenGrowth    = 1.2
	// imageTurnA is the image-conversation turn compared with its last.
	imageTurnA = 10
)

// botMetrics is what the bot side measured of itself.
type botMetrics struct {
	cpu           time.Duration
	peakRSS       int64
	usageOK       bool
	heap          heapEstimate
	peakStreams   int64
	finished      int64
	bot429        int64
	redis         bool
	redisCommands int64
	redisTrips    int64
}

// report is the outcome of a run, printed as a table and as one JSON line.
type report struct {
	Policy string `json:"policy"`
	// RichMessages is --rich-messages; TGRich counts the sends, edits and
	// drafts that showed rich messages, TGShown all of them.
	RichMessages     string  `json:"rich_messages"`
	TGRich           int     `json:"tg_rich"`
	TGShown          int     `json:"tg_shown"`
	Scenario         string  `json:"scenario"`
	Users            int     `json:"users,omitempty"`
	PerChat          int     `json:"per_chat"`
	Mode             string  `json:"mode"`
	Chats            int     `json:"chats"`
	Groups           int     `json:"groups"`
	LoadSeconds      float64 `json:"load_s"`
	ElapsedSeconds   float64 `json:"elapsed_s"`
	RTTMs            float64 `json:"tg_rtt_ms"`
	Turns            int     `json:"turns"`
	FinalsDelivered  int     `json:"finals_delivered"`
	FinalsExpected   int     `json:"finals_expected"`
	TG429            int     `json:"tg_429"`
	TGRequests       int     `json:"tg_requests"`
	TGPerSecond      float64 `json:"tg_requests_per_s"`
	Bot429           int64   `json:"bot_429"`
	FirstVisible     summary `json:"first_visible_after_first_token"`
	FirstText        summary `json:"first_text_after_first_token"`
	FirstTextPrivate summary `json:"first_text_private_after_first_token"`
	FirstTextGroup   summary `json:"first_text_group_after_first_token"`
	Final            summary `json:"final_after_last_chunk"`
	FinalPrivate     summary `json:"final_private_after_last_chunk"`
	FinalGroup       summary `json:"final_group_after_last_chunk"`
	Question         summary `json:"question_to_final"`
	// ToRequest and ToRequestImage are from the update's arrival at the
	// bot (the user's message, plus the half round trip the fake Bot API
	// takes to deliver it) to the model request's arrival at the fake
	// DashScope (its last byte read, before the fake parses it): the
	// mixed load's text questions, and the image conversation's photos
	// (--image-size).
	ToRequest      summary `json:"update_to_request_text"`
	ToRequestImage summary `json:"update_to_request_image"`
	ImageSize      string  `json:"image_size"`
	// Replies are the group burst's replies; BurstLimitMs is its target
	// for the last of them, question to final.
	Replies           []replyResult `json:"replies,omitempty"`
	BurstLimitMs      float64       `json:"burst_last_final_limit_ms,omitempty"`
	StalePrivate      summary       `json:"staleness_private"`
	StaleGroup        summary       `json:"staleness_group"`
	EditsPerReply     float64       `json:"edits_per_reply"`
	CPUSeconds        float64       `json:"cpu_s"`
	PeakRSSMiB        float64       `json:"peak_rss_mib"`
	HeapPerStreamKiB  float64       `json:"heap_per_stream_kib"`
	HeapMethod        string        `json:"heap_method"`
	HeapSamples       int           `json:"heap_samples"`
	HeapR2            float64       `json:"heap_r2"`
	HeapStdErrKiB     float64       `json:"heap_std_err_kib"`
	HeapStreamsMin    int64         `json:"heap_streams_min"`
	HeapStreamsMax    int64         `json:"heap_streams_max"`
	PeakStreams       int64         `json:"peak_streams"`
	RedisCmdsPerTurn  float64       `json:"redis_cmds_per_turn"`
	RedisTripsPerTurn float64       `json:"redis_round_trips_per_turn"`
	ImageTurnA        int           `json:"image_turn_a"`
	ImageTokensA      int           `json:"image_tokens_a"`
	ImageTurnB        int           `json:"image_turn_b"`
	ImageTokensB      int           `json:"image_tokens_b"`
	ImageRatio        float64       `json:"image_ratio"`
	Targets           targets       `json:"targets"`
	Command           string        `json:"command"`
}

// newReport combines the two sides' measurements.
func newReport(o options, w worldResult, img imageResult, b botMetrics) report {
	r := report{
		Policy: string(o.Policy), Mode: "bot process only", Chats: w.Chats, Groups: w.Groups,
		RichMessages: o.RichMessages, TGRich: w.TG.Rich, TGShown: w.TG.Sends + w.TG.Edits + w.TG.Drafts,
		LoadSeconds: o.Duration.Seconds(), ElapsedSeconds: w.Seconds, RTTMs: ms(o.TGRTT),
		Turns: w.Turns, FinalsDelivered: w.Delivered, FinalsExpected: w.Turns,
		TG429: w.TG.Limited, TGRequests: w.TG.Requests, TGPerSecond: w.TG.PerSecond, Bot429: b.bot429,
		FirstVisible: w.FirstVisible, FirstText: w.FirstText,
		FirstTextPrivate: w.FirstTextPrivate, FirstTextGroup: w.FirstTextGroup,
		Final: w.Final, FinalPrivate: w.FinalPrivate, FinalGroup: w.FinalGroup, Question: w.Question,
		ToRequest: w.ToRequest.less(ms(o.TGRTT / 2)), ToRequestImage: img.ToRequest.less(ms(o.TGRTT / 2)),
		ImageSize: fmt.Sprintf("%dx%d", o.ImageWidth, o.ImageHeight),
		Scenario:  string(o.Scenario), PerChat: o.PerChat, Replies: w.Replies,
		StalePrivate: w.StalePrivate, StaleGroup: w.StaleGroup, EditsPerReply: w.EditsPerReply,
		HeapPerStreamKiB: round2(b.heap.perStream / 1024), HeapMethod: b.heap.method,
		HeapSamples: b.heap.samples, HeapR2: round2(b.heap.r2), HeapStdErrKiB: round2(b.heap.stdErr / 1024),
		HeapStreamsMin: b.heap.minStreams, HeapStreamsMax: b.heap.maxStreams, PeakStreams: b.peakStreams,
		Command: o.commandLine(),
	}
	if o.InProcess {
		r.Mode = "bot and fakes in one process"
	}
	if o.Scenario == scenarioBurst {
		r.Users, r.BurstLimitMs = o.Users, ms(o.burstLimit())
		r.LoadSeconds = 0 // a burst is one batch of questions, not a load of some length
	}
	if b.usageOK {
		r.CPUSeconds, r.PeakRSSMiB = round2(b.cpu.Seconds()), round2(float64(b.peakRSS)/(1<<20))
	}
	if b.redis && b.finished > 0 {
		r.RedisCmdsPerTurn = round2(float64(b.redisCommands) / float64(b.finished))
		r.RedisTripsPerTurn = round2(float64(b.redisTrips) / float64(b.finished))
	}
	if n := len(img.Tokens); n > 0 {
		r.ImageTurnA, r.ImageTurnB = min(imageTurnA, n), n
		r.ImageTokensA, r.ImageTokensB = img.Tokens[r.ImageTurnA-1], img.Tokens[n-1]
		if r.ImageTokensA > 0 {
			r.ImageRatio = round2(float64(r.ImageTokensB) / float64(r.ImageTokensA))
		}
	}
	r.Targets = r.check(o)
	return r
}

// write prints the table (unless jsonOnly) and the JSON line.
func (r report) write(w io.Writer, jsonOnly bool) error {
	if !jsonOnly {
		if _, err := io.WriteString(w, r.table()); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if _, err := fmt.Fprintf(w, "%s\n", line); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// heapText renders the heap per stream and how it was estimated.
func (r report) heapText() string {
	if r.HeapMethod == heapBySlope {
		return fmt.Sprintf("%.1f ± %.1f KiB (slope over %d samples at %d–%d streams, R² %.2f)",
			r.HeapPerStreamKiB, r.HeapStdErrKiB, r.HeapSamples, r.HeapStreamsMin, r.HeapStreamsMax, r.HeapR2)
	}
	return fmt.Sprintf("%.1f KiB (too little variation in streams for a slope: heap above baseline / streams, %d samples, peak %d streams)",
		r.HeapPerStreamKiB, r.HeapSamples, r.PeakStreams)
}
