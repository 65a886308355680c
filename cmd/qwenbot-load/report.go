package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Targets of the issue.
const (
	targetFirstVisibleSlack = 20 * time.Millisecond
	targetHeapPerStream     = 64 << 10
	targetTokenGrowth       = 1.2
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
	Policy            string  `json:"policy"`
	Mode              string  `json:"mode"`
	Chats             int     `json:"chats"`
	Groups            int     `json:"groups"`
	LoadSeconds       float64 `json:"load_s"`
	ElapsedSeconds    float64 `json:"elapsed_s"`
	RTTMs             float64 `json:"tg_rtt_ms"`
	Turns             int     `json:"turns"`
	FinalsDelivered   int     `json:"finals_delivered"`
	FinalsExpected    int     `json:"finals_expected"`
	TG429             int     `json:"tg_429"`
	TGRequests        int     `json:"tg_requests"`
	TGPerSecond       float64 `json:"tg_requests_per_s"`
	Bot429            int64   `json:"bot_429"`
	FirstVisible      summary `json:"first_visible_after_first_token"`
	FirstText         summary `json:"first_text_after_first_token"`
	StalePrivate      summary `json:"staleness_private"`
	StaleGroup        summary `json:"staleness_group"`
	EditsPerReply     float64 `json:"edits_per_reply"`
	CPUSeconds        float64 `json:"cpu_s"`
	PeakRSSMiB        float64 `json:"peak_rss_mib"`
	HeapPerStreamKiB  float64 `json:"heap_per_stream_kib"`
	HeapMethod        string  `json:"heap_method"`
	HeapSamples       int     `json:"heap_samples"`
	HeapR2            float64 `json:"heap_r2"`
	HeapStdErrKiB     float64 `json:"heap_std_err_kib"`
	HeapStreamsMin    int64   `json:"heap_streams_min"`
	HeapStreamsMax    int64   `json:"heap_streams_max"`
	PeakStreams       int64   `json:"peak_streams"`
	RedisCmdsPerTurn  float64 `json:"redis_cmds_per_turn"`
	RedisTripsPerTurn float64 `json:"redis_round_trips_per_turn"`
	ImageTurnA        int     `json:"image_turn_a"`
	ImageTokensA      int     `json:"image_tokens_a"`
	ImageTurnB        int     `json:"image_turn_b"`
	ImageTokensB      int     `json:"image_tokens_b"`
	ImageRatio        float64 `json:"image_ratio"`
	Targets           targets `json:"targets"`
	Command           string  `json:"command"`
}

// targets says which of the targets the run met.
type targets struct {
	No429        bool `json:"no_429"`
	AllFinals    bool `json:"all_finals"`
	FirstVisible bool `json:"first_visible"`
	Staleness    bool `json:"staleness"`
	Heap         bool `json:"heap"`
	Tokens       bool `json:"tokens"`
}

// newReport combines the two sides' measurements.
func newReport(o options, w worldResult, img imageResult, b botMetrics) report {
	r := report{
		Policy: string(o.Policy), Mode: "bot process only", Chats: w.Chats, Groups: w.Groups,
		LoadSeconds: o.Duration.Seconds(), ElapsedSeconds: w.Seconds, RTTMs: ms(o.TGRTT),
		Turns: w.Turns, FinalsDelivered: w.Delivered, FinalsExpected: w.Turns,
		TG429: w.TG.Limited, TGRequests: w.TG.Requests, TGPerSecond: w.TG.PerSecond, Bot429: b.bot429,
		FirstVisible: w.FirstVisible, FirstText: w.FirstText,
		StalePrivate: w.StalePrivate, StaleGroup: w.StaleGroup, EditsPerReply: w.EditsPerReply,
		HeapPerStreamKiB: round2(b.heap.perStream / 1024), HeapMethod: b.heap.method,
		HeapSamples: b.heap.samples, HeapR2: round2(b.heap.r2), HeapStdErrKiB: round2(b.heap.stdErr / 1024),
		HeapStreamsMin: b.heap.minStreams, HeapStreamsMax: b.heap.maxStreams, PeakStreams: b.peakStreams,
		Command: o.commandLine(),
	}
	if o.InProcess {
		r.Mode = "bot and fakes in one process"
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

// check evaluates the targets.
func (r report) check(o options) targets {
	stale := func(s summary, interval time.Duration) bool {
		return s.N == 0 || s.P99 <= ms(interval+o.TGRTT)
	}
	return targets{
		No429:        r.TG429 == 0,
		AllFinals:    r.FinalsExpected > 0 && r.FinalsDelivered == r.FinalsExpected,
		FirstVisible: r.FirstVisible.N > 0 && r.FirstVisible.P99 <= ms(o.TGRTT+targetFirstVisibleSlack),
		Staleness: r.StalePrivate.N+r.StaleGroup.N > 0 &&
			stale(r.StalePrivate, time.Second) && stale(r.StaleGroup, 3*time.Second),
		Heap:   r.PeakStreams > 0 && r.HeapPerStreamKiB*1024 < targetHeapPerStream,
		Tokens: r.ImageRatio > 0 && r.ImageRatio <= targetTokenGrowth,
	}
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

// table renders the report as a Markdown table.
func (r report) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "policy %s, %d chats (%d groups), %.0f s of load, %.1f s until the last reply; Bot API RTT %.0f ms; CPU and RSS: %s\n\n",
		r.Policy, r.Chats, r.Groups, r.LoadSeconds, r.ElapsedSeconds, r.RTTMs, r.Mode)
	b.WriteString("| metric | value | target | met |\n|---|---|---|---|\n")
	row := func(metric, value, target string, met *bool) {
		m := ""
		if met != nil {
			m = map[bool]string{true: "yes", false: "**no**"}[*met]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", metric, value, target, m)
	}
	t := r.Targets
	row("turns (user messages)", fmt.Sprint(r.Turns), "", nil)
	row("finals delivered / expected", fmt.Sprintf("%d / %d", r.FinalsDelivered, r.FinalsExpected), "100%", &t.AllFinals)
	row("429s received (fake Bot API / seen by bot)", fmt.Sprintf("%d / %d", r.TG429, r.Bot429), "0", &t.No429)
	row("Bot API requests (per second, first to last)", fmt.Sprintf("%d (%.1f/s)", r.TGRequests, r.TGPerSecond), "", nil)
	row("first visible after first token, p50 / p99", pair(r.FirstVisible),
		fmt.Sprintf("p99 ≤ %.0f ms", r.RTTMs+ms(targetFirstVisibleSlack)), &t.FirstVisible)
	row("first model text after first token, p50 / p99", pair(r.FirstText), "", nil)
	row("staleness, private chats, p50 / p99", pair(r.StalePrivate), fmt.Sprintf("p99 ≤ %.0f ms", 1000+r.RTTMs), &t.Staleness)
	row("staleness, groups, p50 / p99", pair(r.StaleGroup), fmt.Sprintf("p99 ≤ %.0f ms", 3000+r.RTTMs), &t.Staleness)
	row("edits per reply", fmt.Sprint(r.EditsPerReply), "", nil)
	row("CPU seconds", fmt.Sprint(r.CPUSeconds), "", nil)
	row("peak RSS", fmt.Sprintf("%.1f MiB", r.PeakRSSMiB), "", nil)
	row("heap per additional in-flight stream", r.heapText(), "< 64 KiB", &t.Heap)
	row("Redis commands (round trips) per turn", fmt.Sprintf("%.2f (%.2f)", r.RedisCmdsPerTurn, r.RedisTripsPerTurn), "", nil)
	row(fmt.Sprintf("input tokens, image chat turn %d vs %d", r.ImageTurnA, r.ImageTurnB),
		fmt.Sprintf("%d vs %d (×%.2f)", r.ImageTokensA, r.ImageTokensB, r.ImageRatio), "≤ ×1.2", &t.Tokens)
	fmt.Fprintf(&b, "\ncommand: `%s`\n\n", r.Command)
	return b.String()
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

// pair renders a summary's p50 and p99.
func pair(s summary) string {
	if s.N == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%s / %s", msText(s.P50), msText(s.P99))
}

// msText renders milliseconds, as seconds from 10 s on.
func msText(v float64) string {
	if v >= 10_000 {
		return fmt.Sprintf("%.1f s", v/1000)
	}
	return fmt.Sprintf("%.0f ms", v)
}
