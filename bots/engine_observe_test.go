package bots

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// recObserver records the engine's metrics events.
type recObserver struct {
	started, edits, limited, images atomic.Int64
	depth, unsaved                  atomic.Int64

	mu       sync.Mutex
	reports  []TurnReport
	rejected []string
}

// TurnUnsaved implements Observer.
func (o *recObserver) TurnUnsaved(string) { o.unsaved.Add(1) }

// TurnStarted implements Observer.
func (o *recObserver) TurnStarted(string) { o.started.Add(1) }

// TurnFinished implements Observer.
func (o *recObserver) TurnFinished(r TurnReport) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reports = append(o.reports, r)
}

// TurnRejected implements Observer.
func (o *recObserver) TurnRejected(_, reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rejected = append(o.rejected, reason)
}

// EditSent implements Observer.
func (o *recObserver) EditSent(string) { o.edits.Add(1) }

// RateLimited implements Observer.
func (o *recObserver) RateLimited(string) { o.limited.Add(1) }

// QueueDepth implements Observer.
func (o *recObserver) QueueDepth(d int) { o.depth.Add(int64(d)) }

// ImageBytes implements Observer.
func (o *recObserver) ImageBytes(int, int) { o.images.Add(1) }

// Reports returns the finished turns so far.
func (o *recObserver) Reports() []TurnReport {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.reports)
}

// Rejected returns the rejection reasons so far.
func (o *recObserver) Rejected() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.rejected)
}

// recHandler records log records' levels and messages.
type recHandler struct {
	mu      sync.Mutex
	records []slog.Record
}

// Enabled implements slog.Handler.
func (h *recHandler) Enabled(context.Context, slog.Level) bool { return true }

// Handle implements slog.Handler.
func (h *recHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

// WithAttrs implements slog.Handler.
func (h *recHandler) WithAttrs([]slog.Attr) slog.Handler { return h }

// WithGroup implements slog.Handler.
func (h *recHandler) WithGroup(string) slog.Handler { return h }

// Levels returns the levels of the records with a message containing sub.
func (h *recHandler) Levels(sub string) []slog.Level {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []slog.Level
	for _, r := range h.records {
		if strings.Contains(r.Message, sub) {
			out = append(out, r.Level)
		}
	}
	return out
}

// Texts returns every record's message and attribute values, for checks
// that nothing private was logged.
func (h *recHandler) Texts() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var sb strings.Builder
	for _, r := range h.records {
		sb.WriteString(r.Message)
		r.Attrs(func(a slog.Attr) bool {
			sb.WriteString(" " + a.Key + "=" + a.Value.String())
			return true
		})
		sb.WriteString("\n")
	}
	return sb.String()
}
