package main

import (
	"context"
	"errors"
	"net"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/bots"
)

// metrics implements bots.Observer with Prometheus collectors registered on
// its own registry (no global state).
type metrics struct {
	turnsStarted  *prometheus.CounterVec
	turnsFinished *prometheus.CounterVec
	turnsRejected *prometheus.CounterVec
	firstToken    *prometheus.HistogramVec
	firstVisible  *prometheus.HistogramVec
	turnSeconds   *prometheus.HistogramVec
	edits         *prometheus.CounterVec
	rateLimited   *prometheus.CounterVec
	queueDepth    prometheus.Gauge
	inFlight      prometheus.Gauge
	tokens        *prometheus.CounterVec
	imageBytes    *prometheus.CounterVec
	redisErrors   prometheus.Counter
	turnsUnsaved  *prometheus.CounterVec
	buildInfo     prometheus.Collector
}

var _ bots.Observer = (*metrics)(nil)

// newMetrics creates the collectors and registers them, with the Go and
// process collectors, on reg.
func newMetrics(reg *prometheus.Registry) *metrics {
	latency := []float64{.05, .1, .25, .5, 1, 2, 4, 8, 15, 30, 60}
	m := &metrics{
		turnsStarted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qwenbot_turns_started_total", Help: "Turns that left their queue and started.",
		}, []string{"platform"}),
		turnsFinished: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qwenbot_turns_finished_total", Help: "Turns finished, by outcome (ok, stopped, refused, model_busy, ...).",
		}, []string{"platform", "outcome"}),
		turnsRejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qwenbot_turns_rejected_total", Help: "Messages turned away before queueing, by reason.",
		}, []string{"platform", "reason"}),
		firstToken: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qwenbot_first_token_seconds", Help: "Time from turn start to the model's first token.", Buckets: latency,
		}, []string{"platform"}),
		firstVisible: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qwenbot_first_visible_seconds", Help: "Time from turn start to the first text shown in the chat.", Buckets: latency,
		}, []string{"platform"}),
		turnSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qwenbot_turn_seconds", Help: "Time from turn start to the stored turn.", Buckets: latency,
		}, []string{"platform", "outcome"}),
		edits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qwenbot_edits_sent_total", Help: "Sends, edits and drafts of replies.",
		}, []string{"platform"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qwenbot_platform_rate_limited_total", Help: "429 answers from the chat platform.",
		}, []string{"platform"}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "qwenbot_queue_depth", Help: "Turns waiting behind a running turn of their chat.",
		}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "qwenbot_turns_in_flight", Help: "Turns running now.",
		}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qwenbot_llm_tokens_total", Help: "Model tokens by kind (input, output, reasoning, image).",
		}, []string{"platform", "kind"}),
		imageBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qwenbot_image_bytes_total", Help: "Image bytes received (before) and sent to the model (after downscaling).",
		}, []string{"stage"}),
		redisErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "qwenbot_redis_errors_total", Help: "Redis commands that failed (not counting nil replies).",
		}),
		turnsUnsaved: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qwenbot_turns_unsaved_total", Help: "Answered turns that could not be stored in history, even when retried.",
		}, []string{"platform"}),
		buildInfo: newBuildInfo(buildInfo()),
	}
	reg.MustRegister(m.turnsStarted, m.turnsFinished, m.turnsRejected, m.firstToken, m.firstVisible,
		m.turnSeconds, m.edits, m.rateLimited, m.queueDepth, m.inFlight, m.tokens, m.imageBytes, m.redisErrors, m.turnsUnsaved, m.buildInfo,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// TurnStarted implements bots.Observer.
func (m *metrics) TurnStarted(platform string) {
	m.turnsStarted.WithLabelValues(platform).Inc()
	m.inFlight.Inc()
}

// TurnFinished implements bots.Observer.
func (m *metrics) TurnFinished(r bots.TurnReport) {
	m.inFlight.Dec()
	m.turnsFinished.WithLabelValues(r.Platform, string(r.Outcome)).Inc()
	m.turnSeconds.WithLabelValues(r.Platform, string(r.Outcome)).Observe(r.Total.Seconds())
	if r.FirstToken > 0 {
		m.firstToken.WithLabelValues(r.Platform).Observe(r.FirstToken.Seconds())
	}
	if r.FirstVisible > 0 {
		m.firstVisible.WithLabelValues(r.Platform).Observe(r.FirstVisible.Seconds())
	}
	for kind, n := range map[string]int{
		"input": r.Usage.InputTokens, "output": r.Usage.OutputTokens,
		"reasoning": r.Usage.ReasoningTokens, "image": r.Usage.ImageTokens,
	} {
		m.tokens.WithLabelValues(r.Platform, kind).Add(float64(n))
	}
}

// TurnRejected implements bots.Observer.
func (m *metrics) TurnRejected(platform, reason string) {
	m.turnsRejected.WithLabelValues(platform, reason).Inc()
}

// EditSent implements bots.Observer.
func (m *metrics) EditSent(platform string) { m.edits.WithLabelValues(platform).Inc() }

// RateLimited implements bots.Observer.
func (m *metrics) RateLimited(platform string) { m.rateLimited.WithLabelValues(platform).Inc() }

// QueueDepth implements bots.Observer.
func (m *metrics) QueueDepth(delta int) { m.queueDepth.Add(float64(delta)) }

// ImageBytes implements bots.Observer.
func (m *metrics) ImageBytes(before, after int) {
	m.imageBytes.WithLabelValues("before").Add(float64(before))
	m.imageBytes.WithLabelValues("after").Add(float64(after))
}

// redisErrorHook counts failed Redis commands and pipelines.
type redisErrorHook struct{ errs prometheus.Counter }

// DialHook implements redis.Hook.
func (h redisErrorHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := next(ctx, network, addr)
		if err != nil {
			h.errs.Inc()
		}
		return c, err
	}
}

// ProcessHook implements redis.Hook.
func (h redisErrorHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if failed(cmd) {
			h.errs.Inc()
		}
		return err
	}
}

// ProcessPipelineHook implements redis.Hook. A pipeline counts once.
func (h redisErrorHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, c := range cmds {
			if failed(c) {
				h.errs.Inc()
				break
			}
		}
		return err
	}
}

// failed reports whether cmd failed for real: not a nil reply, not a
// script the client then loads, and not a connection handshake command the
// server does not know (Redis before 7.2 lacks CLIENT SETINFO; go-redis
// carries on without it).
func failed(cmd redis.Cmder) bool {
	err := cmd.Err()
	if err == nil || errors.Is(err, redis.Nil) || redis.HasErrorPrefix(err, "NOSCRIPT") {
		return false
	}
	name := cmd.Name()
	return name != "client" && name != "hello"
}

// TurnUnsaved implements bots.Observer.
func (m *metrics) TurnUnsaved(platform string) {
	m.turnsUnsaved.WithLabelValues(platform).Inc()
}
