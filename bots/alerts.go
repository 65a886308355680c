package bots

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/llm"
)

// Alerter sends the operator a private message: an adapter messages its
// platform's configured admins. Implementations must be safe for
// concurrent use.
type Alerter interface {
	AlertAdmins(ctx context.Context, text string) error
}

// alertEvery is how often one cause is told to the admins at most.
const alertEvery = time.Hour

// alertTimeout bounds telling the admins.
const alertTimeout = 10 * time.Second

// adminAlerts tells the admins, through the alerters added to it, what
// they must fix, at most once per cause per alertEvery. Safe for
// concurrent use.
type adminAlerts struct {
	clock Clock
	mu    sync.Mutex
	to    []Alerter
	sent  map[string]time.Time // by cause
}

// newAdminAlerts returns alerts with no alerter yet.
func newAdminAlerts(clock Clock) *adminAlerts {
	return &adminAlerts{clock: clock, sent: make(map[string]time.Time)}
}

// AddAlerter makes the engine tell a's admins when the model rejects the
// bot's configuration (a bad key, an unpaid account, a wrong model): a
// private message naming the cause, at most once an hour per cause, never
// with a user's message. Add the adapters once they are made, before
// serving; safe for concurrent use.
func (e *Engine) AddAlerter(a Alerter) {
	e.alerts.mu.Lock()
	defer e.alerts.mu.Unlock()
	e.alerts.to = append(e.alerts.to, a)
}

// alertMisconfigured tells the admins, in the background (Wait and
// Shutdown wait for it, at most alertTimeout), that the model rejected
// the bot's configuration with err, unless they were told of the same
// cause within alertEvery.
func (e *Engine) alertMisconfigured(ctx context.Context, err error) {
	cause, text := misconfiguredCause(err)
	to := e.alerts.due(cause)
	if len(to) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), alertTimeout)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.spawnLocked(func() {
		defer cancel()
		for _, al := range to {
			if err := al.AlertAdmins(ctx, text); err != nil {
				e.log.WarnContext(ctx, "tell the admins", "cause", cause, "err", err)
			}
		}
	})
}

// due returns the alerters to tell of cause now, and records that they
// were told; none when there are none or they were told within
// alertEvery.
func (a *adminAlerts) due(cause string) []Alerter {
	now := a.clock.Now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if last, seen := a.sent[cause]; len(a.to) == 0 || (seen && now.Sub(last) < alertEvery) {
		return nil
	}
	a.sent[cause] = now
	return slices.Clone(a.to)
}

// misconfiguredCause returns the cause of a configuration error (the API's
// error code, which names no user) and the admins' message about it.
func misconfiguredCause(err error) (cause, text string) {
	cause, detail := "misconfigured", "the model server rejected the request"
	var api *llm.APIError
	if errors.As(err, &api) {
		cause = fmt.Sprintf("%d %s", api.Status, api.Code)
		detail = fmt.Sprintf("HTTP %d %s", api.Status, api.Code)
		if api.Message != "" {
			detail += ": " + api.Message
		}
	}
	return cause, "⚠️ qwenbot: the model rejected the bot's configuration (" + detail + "). " +
		"Check DASHSCOPE_API_KEY, the account's balance, llm.base_url (the key's region) and llm.model. " +
		"Users get an error until it is fixed. This message is sent at most once an hour per cause."
}
