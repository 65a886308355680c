package bots

import (
	"time"

	"github.com/qwenbot/qwenbot/llm"
)

// Outcome is how a turn ended, as reported to the Observer and logged.
type Outcome string

// Outcomes of a turn that ran.
const (
	OutcomeOK            Outcome = "ok"
	OutcomeStopped       Outcome = "stopped"
	OutcomeShutdown      Outcome = "shutdown"
	OutcomeTimeout       Outcome = "timeout"
	OutcomeRefused       Outcome = "refused"
	OutcomeModelBusy     Outcome = "model_busy"
	OutcomeMisconfigured Outcome = "misconfigured"
	OutcomeTooLong       Outcome = "too_long"
	OutcomeBadImage      Outcome = "bad_image"
	OutcomeBudget        Outcome = "budget"
	OutcomeInterrupted   Outcome = "interrupted"
	OutcomeError         Outcome = "error"
	// OutcomeUndelivered: the turn ended, but its final state could not be
	// shown in the chat (the platform kept failing or rate-limiting).
	OutcomeUndelivered Outcome = "undelivered"
	// OutcomeLockLost: the turn lost its chat lock (another replica may
	// own the chat now), so it was cut short and not stored.
	OutcomeLockLost Outcome = "lock_lost"
	// OutcomeImagesBusy: the memory for decoding images stayed taken by
	// other turns for too long; the images were not looked at.
	OutcomeImagesBusy Outcome = "images_busy"
)

// Reasons a turn was turned away by Submit, reported to
// Observer.TurnRejected.
const (
	RejectBusy      = "busy"
	RejectRate      = "rate_limited"
	RejectInvalid   = "invalid"
	RejectImages    = "images"
	RejectRestarted = "restarting"
)

// TurnReport describes a finished turn for metrics.
type TurnReport struct {
	// Platform is the prefix of the chat key ("tg", "dc").
	Platform string
	Outcome  Outcome
	// Queued is how long the turn waited behind earlier turns of its chat.
	Queued time.Duration
	// FirstToken is the time from the start of the turn to the model's
	// first reasoning or answer delta; zero if none arrived.
	FirstToken time.Duration
	// FirstVisible is the time from the start of the turn to the first text
	// shown in the chat (a placeholder counts); zero if nothing was shown.
	FirstVisible time.Duration
	// Total is the time from the start of the turn to the stored turn.
	Total time.Duration
	// Usage is the model's last reported token usage.
	Usage llm.Usage
}

// Observer receives the engine's metrics events. cmd implements it with
// Prometheus; embed NopObserver to implement only some methods. Methods are
// called from many goroutines at once and must not block.
type Observer interface {
	// TurnStarted is called when a turn leaves its queue and starts.
	TurnStarted(platform string)
	// TurnFinished is called once for every started turn.
	TurnFinished(r TurnReport)
	// TurnRejected is called when Submit turns a message away (one of the
	// Reject* reasons); the user got a short reply instead of an answer.
	TurnRejected(platform, reason string)
	// EditSent is called after every send, edit or draft of a reply.
	EditSent(platform string)
	// RateLimited is called when the platform answered 429.
	RateLimited(platform string)
	// QueueDepth is called with +1 when a turn is queued and -1 when it
	// leaves the queue.
	QueueDepth(delta int)
	// ImageBytes is called for every prepared image with its size before
	// and after preparation.
	ImageBytes(before, after int)
	// TurnUnsaved is called for a turn that was answered but could not be
	// stored in the chat's history, even when retried.
	TurnUnsaved(platform string)
}

// NopObserver ignores every event. It is the default Observer.
type NopObserver struct{}

// TurnStarted does nothing.
func (NopObserver) TurnStarted(string) {}

// TurnFinished does nothing.
func (NopObserver) TurnFinished(TurnReport) {}

// TurnRejected does nothing.
func (NopObserver) TurnRejected(string, string) {}

// EditSent does nothing.
func (NopObserver) EditSent(string) {}

// RateLimited does nothing.
func (NopObserver) RateLimited(string) {}

// QueueDepth does nothing.
func (NopObserver) QueueDepth(int) {}

// ImageBytes does nothing.
func (NopObserver) ImageBytes(int, int) {}

// platformOf returns the platform prefix of a chat key: "tg" for
// "tg:-100:7".
func platformOf(chat string) string {
	for i := 0; i < len(chat); i++ {
		if chat[i] == ':' {
			return chat[:i]
		}
	}
	return chat
}

// TurnUnsaved does nothing.
func (NopObserver) TurnUnsaved(string) {}
