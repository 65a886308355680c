package main

import "time"

// targets says which of the targets the run met. A target the
// run's scenario does not measure is left out (nil).
type targets struct {
	No429        *bool `json:"no_429,omitempty"`
	AllFinals    *bool `json:"all_finals,omitempty"`
	FirstVisible *bool `json:"first_visible,omitempty"`
	// FirstTextPrivate and FirstTextGroup: p99 of the first model text on
	// screen after the model's first text ≤ RTT + 50 ms.
	FirstTextPrivate *bool `json:"first_text_private,omitempty"`
	FirstTextGroup   *bool `json:"first_text_group,omitempty"`
	// Final: the final answer on screen after the model's last chunk,
	// p95 ≤ RTT + 50 ms and p99 ≤ 1 s.
	Final     *bool `json:"final,omitempty"`
	Staleness *bool `json:"staleness,omitempty"`
	Heap      *bool `json:"heap,omitempty"`
	Tokens    *bool `json:"tokens,omitempty"`
	// BurstLastFinal: in a group burst, the last full answer on screen
	// within the limit after its question (options.burstLimit).
	BurstLastFinal *bool `json:"burst_last_final,omitempty"`
}

// check evaluates the targets of o's scenario.
func (r report) check(o options) targets {
	t := targets{
		No429:     new(r.TG429 == 0),
		AllFinals: new(r.FinalsExpected > 0 && r.FinalsDelivered == r.FinalsExpected),
	}
	if o.Scenario == scenarioBurst {
		t.BurstLastFinal = new(*t.AllFinals && r.Question.N == r.FinalsExpected &&
			r.Question.Max <= r.BurstLimitMs)
		return t
	}
	stale := func(s summary, interval time.Duration) bool {
		return s.N == 0 || s.P99 <= ms(interval+o.TGRTT)
	}
	firstText := func(s summary) *bool {
		if s.N == 0 {
			return nil
		}
		return new(s.P99 <= ms(o.TGRTT+targetFirstTextSlack))
	}
	t.FirstVisible = new(r.FirstVisible.N > 0 && r.FirstVisible.P99 <= ms(o.TGRTT+targetFirstVisibleSlack))
	t.FirstTextPrivate, t.FirstTextGroup = firstText(r.FirstTextPrivate), firstText(r.FirstTextGroup)
	t.Final = new(r.Final.N > 0 && r.Final.P95 <= ms(o.TGRTT+targetFirstTextSlack) && r.Final.P99 <= ms(targetFinalP99))
	t.Staleness = new(r.StalePrivate.N+r.StaleGroup.N > 0 &&
		stale(r.StalePrivate, time.Second) && stale(r.StaleGroup, 3*time.Second))
	t.Heap = new(r.PeakStreams > 0 && r.HeapPerStreamKiB*1024 < targetHeapPerStream)
	t.Tokens = new(r.ImageRatio > 0 && r.ImageRatio <= targetTokenGrowth)
	return t
}
