package main

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/qwenbot/qwenbot/bots"
)

// knownOutcomes returns the turn outcomes the engine reports
// (bots.Outcome*).
func knownOutcomes() []bots.Outcome {
	return []bots.Outcome{
		bots.OutcomeOK, bots.OutcomeStopped, bots.OutcomeShutdown, bots.OutcomeTimeout,
		bots.OutcomeRefused, bots.OutcomeModelBusy, bots.OutcomeMisconfigured, bots.OutcomeTooLong,
		bots.OutcomeBadImage, bots.OutcomeImagesBusy, bots.OutcomeBudget, bots.OutcomeInterrupted, bots.OutcomeError,
		bots.OutcomeUndelivered, bots.OutcomeLockLost,
	}
}

// knownRejections returns the reasons Submit turns a message away for.
func knownRejections() []string {
	return []string{bots.RejectBusy, bots.RejectRate, bots.RejectInvalid, bots.RejectImages, bots.RejectRestarted}
}

// tokenKinds returns the kind label values of qwenbot_llm_tokens_total.
func tokenKinds() []string { return []string{"input", "output", "reasoning", "image"} }

// initLabels creates every series of the labelled metrics for the
// configured platforms ("tg", "dc") at zero, so dashboards and rate()
// see them before the first event. The Go and build-info collectors need
// nothing.
func (m *metrics) initLabels(platforms []string) {
	for _, p := range platforms {
		for _, c := range []*prometheus.CounterVec{m.turnsStarted, m.edits, m.rateLimited, m.turnsUnsaved} {
			c.WithLabelValues(p)
		}
		for _, h := range []*prometheus.HistogramVec{m.firstToken, m.firstVisible} {
			h.WithLabelValues(p)
		}
		for _, o := range knownOutcomes() {
			m.turnsFinished.WithLabelValues(p, string(o))
			m.turnSeconds.WithLabelValues(p, string(o))
		}
		for _, r := range knownRejections() {
			m.turnsRejected.WithLabelValues(p, r)
		}
		for _, k := range tokenKinds() {
			m.tokens.WithLabelValues(p, k)
		}
	}
	m.imageBytes.WithLabelValues("before")
	m.imageBytes.WithLabelValues("after")
}

// newBuildInfo is the qwenbot_build_info gauge: always 1, labelled with
// the binary's version, commit, build date and Go version.
func newBuildInfo(b build) prometheus.Collector {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "qwenbot_build_info", Help: "Always 1; the labels say which build is running.",
	}, []string{"version", "commit", "build_date", "goversion"})
	g.WithLabelValues(b.Version, b.Commit, b.Date, b.GoVersion).Set(1)
	return g
}
