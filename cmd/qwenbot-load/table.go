package main

import (
	"fmt"
	"strings"
)

// tableWriter writes the rows of a Markdown report table.
type tableWriter struct{ b strings.Builder }

// row writes one metric; met is nil for a figure without a target.
func (tw *tableWriter) row(metric, value, target string, met *bool) {
	m := ""
	if met != nil {
		m = map[bool]string{true: "yes", false: "**no**"}[*met]
	}
	fmt.Fprintf(&tw.b, "| %s | %s | %s | %s |\n", metric, value, target, m)
}

// table renders the report as a Markdown table.
func (r report) table() string {
	var tw tableWriter
	if r.Scenario == string(scenarioBurst) {
		fmt.Fprintf(&tw.b, "policy %s, group burst: %d askers in one group at once, bot's per-chat concurrency taken as %d; %.1f s until the last reply; Bot API RTT %.0f ms; CPU and RSS: %s\n\n",
			r.Policy, r.Users, r.PerChat, r.ElapsedSeconds, r.RTTMs, r.Mode)
	} else {
		fmt.Fprintf(&tw.b, "policy %s, %d chats (%d groups), %.0f s of load, %.1f s until the last reply; Bot API RTT %.0f ms; CPU and RSS: %s\n\n",
			r.Policy, r.Chats, r.Groups, r.LoadSeconds, r.ElapsedSeconds, r.RTTMs, r.Mode)
	}
	fmt.Fprintf(&tw.b, "rich messages %s: %d of %d messages, edits and drafts shown were rich\n\n", r.RichMessages, r.TGRich, r.TGShown)
	tw.b.WriteString("| metric | value | target | met |\n|---|---|---|---|\n")
	t := r.Targets
	tw.row("turns (user messages)", fmt.Sprint(r.Turns), "", nil)
	tw.row("finals delivered / expected", fmt.Sprintf("%d / %d", r.FinalsDelivered, r.FinalsExpected), "100%", t.AllFinals)
	tw.row("429s received (fake Bot API / seen by bot)", fmt.Sprintf("%d / %d", r.TG429, r.Bot429), "0", t.No429)
	tw.row("Bot API requests (per second, first to last)", fmt.Sprintf("%d (%.1f/s)", r.TGRequests, r.TGPerSecond), "", nil)
	if r.Scenario == string(scenarioBurst) {
		r.burstRows(&tw)
	} else {
		r.mixedRows(&tw)
	}
	fmt.Fprintf(&tw.b, "\ncommand: `%s`\n\n", r.Command)
	return tw.b.String()
}

// mixedRows are the default load's figures.
func (r report) mixedRows(tw *tableWriter) {
	t := r.Targets
	textTarget := fmt.Sprintf("p99 ≤ %.0f ms", r.RTTMs+ms(targetFirstTextSlack))
	tw.row("first visible after first token, p50 / p99", pair(r.FirstVisible),
		fmt.Sprintf("p99 ≤ %.0f ms", r.RTTMs+ms(targetFirstVisibleSlack)), t.FirstVisible)
	tw.row("first model text after first token, p50 / p99", pair(r.FirstText), "", nil)
	tw.row("first model text after first token, private chats, p50 / p99", pair(r.FirstTextPrivate), textTarget, t.FirstTextPrivate)
	tw.row("first model text after first token, groups, p50 / p99", pair(r.FirstTextGroup), textTarget, t.FirstTextGroup)
	tw.row("final on screen after last chunk, p50 / p95 / p99", triple(r.Final),
		fmt.Sprintf("p95 ≤ %.0f ms, p99 ≤ %s", r.RTTMs+ms(targetFirstTextSlack), msText(ms(targetFinalP99))), t.Final)
	tw.row("final on screen after last chunk, private chats, p50 / p95 / p99", triple(r.FinalPrivate), "", nil)
	tw.row("final on screen after last chunk, groups, p50 / p95 / p99", triple(r.FinalGroup), "", nil)
	tw.row("question to full answer on screen, p50 / p95 / max", spread(r.Question), "", nil)
	tw.row("update at the bot to model request, text, p50 / p99", pair(r.ToRequest), "p99 ≤ 20 ms", nil)
	tw.row(fmt.Sprintf("update at the bot to model request, %s photo, p50 / p99", r.ImageSize), pair(r.ToRequestImage), "p99 ≤ 250 ms (12 MP)", nil)
	tw.row("staleness, private chats, p50 / p99", pair(r.StalePrivate), fmt.Sprintf("p99 ≤ %.0f ms", 1000+r.RTTMs), t.Staleness)
	tw.row("staleness, groups, p50 / p99", pair(r.StaleGroup), fmt.Sprintf("p99 ≤ %.0f ms", 3000+r.RTTMs), t.Staleness)
	tw.row("edits per reply", fmt.Sprint(r.EditsPerReply), "", nil)
	tw.row("CPU seconds", fmt.Sprint(r.CPUSeconds), "", nil)
	tw.row("peak RSS", fmt.Sprintf("%.1f MiB", r.PeakRSSMiB), "", nil)
	tw.row("heap per additional in-flight stream", r.heapText(), "< 64 KiB", t.Heap)
	tw.row("Redis commands (round trips) per turn", fmt.Sprintf("%.2f (%.2f)", r.RedisCmdsPerTurn, r.RedisTripsPerTurn), "", nil)
	tw.row(fmt.Sprintf("input tokens, image chat turn %d vs %d", r.ImageTurnA, r.ImageTurnB),
		fmt.Sprintf("%d vs %d (×%.2f)", r.ImageTokensA, r.ImageTokensB, r.ImageRatio), "≤ ×1.2", t.Tokens)
}

// burstRows are the group burst's figures: overall, then per reply.
func (r report) burstRows(tw *tableWriter) {
	tw.row("first model text after first token, p50 / p99", pair(r.FirstText), "", nil)
	tw.row("final on screen after last chunk, p50 / p95 / p99", triple(r.Final), "", nil)
	tw.row("question to full answer on screen, p50 / p95 / max", spread(r.Question),
		fmt.Sprintf("max ≤ %s", msText(r.BurstLimitMs)), r.Targets.BurstLastFinal)
	for _, rp := range r.Replies {
		tw.row(fmt.Sprintf("reply to asker %d: first text / final after last chunk / question to final", rp.Asker),
			fmt.Sprintf("%s / %s / %s", neverText(rp.FirstText), neverText(rp.Final), neverText(rp.Question)), "", nil)
	}
	tw.row("edits per reply", fmt.Sprint(r.EditsPerReply), "", nil)
	tw.row("CPU seconds", fmt.Sprint(r.CPUSeconds), "", nil)
}

// pair renders a summary's p50 and p99.
func pair(s summary) string {
	if s.N == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%s / %s", msText(s.P50), msText(s.P99))
}

// triple renders a summary's p50, p95 and p99.
func triple(s summary) string {
	if s.N == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%s / %s / %s", msText(s.P50), msText(s.P95), msText(s.P99))
}

// spread renders a summary's p50, p95 and max.
func spread(s summary) string {
	if s.N == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%s / %s / %s", msText(s.P50), msText(s.P95), msText(s.Max))
}

// neverText renders milliseconds, or "never" for -1.
func neverText(v float64) string {
	if v < 0 {
		return "never"
	}
	return msText(v)
}

// msText renders milliseconds, as seconds from 10 s on.
func msText(v float64) string {
	if v >= 10_000 {
		return fmt.Sprintf("%.1f s", v/1000)
	}
	return fmt.Sprintf("%.0f ms", v)
}
