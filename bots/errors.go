package bots

import (
	"context"
	"errors"
	"log/slog"

	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/llm"
)

// ErrShuttingDown is returned by Submit once Shutdown has begun.
var ErrShuttingDown = errors.New("engine is shutting down")

// Causes of a cancelled turn context, told apart with context.Cause.
var (
	errStopped     = errors.New("turn stopped by the user")
	errShutdown    = errors.New("turn interrupted by shutdown")
	errTurnTimeout = errors.New("turn timed out")
	errLockLost    = errors.New("chat lock lost")
)

// budgetError reports that a daily token budget is used up.
type budgetError struct {
	chat bool // the chat's budget, not the user's
}

// Error implements error.
func (e budgetError) Error() string {
	if e.chat {
		return "daily chat token budget used up"
	}
	return "daily user token budget used up"
}

// failure decides how a failed turn ends: the note shown, whether the text
// shown so far stays, and whether the turn is stored.
type failure struct {
	outcome Outcome
	note    string
	// keep leaves what the model produced on screen (and in history).
	keep bool
	// store appends the turn to history.
	store bool
	// stopped marks the stored turn as cut short.
	stopped bool
	// level is the log level of the turn's line: Info for the user's own
	// doing, Warn for failures, Error for what the operator must fix.
	level slog.Level
}

// undelivered is f for a turn whose final state could not be shown: its
// outcome says so (unless the operator must fix the configuration), and it
// is logged as a warning at least.
func (f failure) undelivered() failure {
	if f.outcome != OutcomeMisconfigured {
		f.outcome = OutcomeUndelivered
	}
	f.level = max(f.level, slog.LevelWarn)
	return f
}

// classify maps the error a turn ended with to a failure. ctx is the
// turn's context; shown reports that some answer text was produced.
func classify(ctx context.Context, err error, c catalog, shown bool) failure {
	if ctx.Err() != nil {
		return classifyCancel(context.Cause(ctx), c, shown)
	}
	var b budgetError
	switch {
	case errors.As(err, &b):
		note := c.UserBudget
		if b.chat {
			note = c.ChatBudget
		}
		return failure{outcome: OutcomeBudget, note: note, level: slog.LevelInfo}
	case errors.Is(err, llm.ErrContentRefused):
		return failure{outcome: OutcomeRefused, note: c.Refused, level: slog.LevelInfo}
	case errors.Is(err, llm.ErrMisconfigured):
		return failure{outcome: OutcomeMisconfigured, note: c.Misconfigured, keep: shown, level: slog.LevelError}
	case errors.Is(err, llm.ErrTooLong):
		return failure{outcome: OutcomeTooLong, note: c.InputTooLong, keep: shown, store: shown, stopped: shown, level: slog.LevelWarn}
	case errors.Is(err, llm.ErrImageTooLarge), errors.Is(err, imaging.ErrTooLarge):
		return failure{outcome: OutcomeBadImage, note: c.ImageTooLarge, level: slog.LevelInfo}
	case errors.Is(err, imaging.ErrUnsupported):
		return failure{outcome: OutcomeBadImage, note: c.ImageUnsupported, level: slog.LevelInfo}
	case errors.Is(err, imaging.ErrBusy):
		return failure{outcome: OutcomeImagesBusy, note: c.ImagesBusy, level: slog.LevelWarn}
	case errors.Is(err, imaging.ErrNotImage):
		return failure{outcome: OutcomeBadImage, note: c.NotImage, level: slog.LevelInfo}
	}
	if f, ok := classifyVideo(err, c); ok {
		return f
	}
	return classifyStream(err, c, shown)
}

// classifyCancel maps the cause of a cancelled turn.
func classifyCancel(cause error, c catalog, shown bool) failure {
	switch {
	case errors.Is(cause, errStopped):
		return failure{outcome: OutcomeStopped, note: c.Stopped, keep: true, store: true, stopped: true, level: slog.LevelInfo}
	case errors.Is(cause, errLockLost): // another replica may own the chat: store nothing
		return failure{outcome: OutcomeLockLost, note: c.interrupted(c.ReasonLockLost), keep: true, level: slog.LevelWarn}
	case errors.Is(cause, errTurnTimeout):
		return failure{outcome: OutcomeTimeout, note: c.interrupted(c.ReasonTimeout), keep: true, store: shown, stopped: true, level: slog.LevelWarn}
	default: // errShutdown, or the engine's context ended
		return failure{outcome: OutcomeShutdown, note: c.interrupted(c.ReasonRestart), keep: true, store: shown, stopped: true, level: slog.LevelInfo}
	}
}

// classifyStream maps the errors of a model stream that may have shown
// text already: what was shown stays, with a note saying why it ended.
func classifyStream(err error, c catalog, shown bool) failure {
	f := failure{outcome: OutcomeInterrupted, keep: true, store: shown, stopped: shown, level: slog.LevelWarn}
	switch {
	case errors.Is(err, llm.ErrRateLimited):
		f.outcome, f.note = OutcomeModelBusy, c.ModelBusy
	case errors.Is(err, llm.ErrTransient):
		f.note = c.Unavailable
	default:
		f.outcome, f.note = OutcomeError, c.Generic
	}
	if shown {
		reason := c.ReasonConnection
		switch f.outcome {
		case OutcomeError:
			reason = c.ReasonError
		case OutcomeModelBusy: // a quota or rate limit hit mid-answer
			reason = c.ReasonBusy
		}
		f.note = c.interrupted(reason)
	}
	return f
}
