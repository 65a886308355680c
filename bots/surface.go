package bots

import "github.com/qwenbot/qwenbot/bots/pace"

// The reply surface and its types are defined by package pace, which
// streams replies into it; they are repeated here so adapters need import
// only bots.
type (
	// Surface is where one chat's replies appear; see pace.Surface.
	Surface = pace.Surface
	// Drafter streams a reply natively as a draft; see pace.Drafter.
	Drafter = pace.Drafter
	// Outgoing is one state of a message; see pace.Outgoing.
	Outgoing = pace.Outgoing
	// MessageRef identifies a message the bot sent; see pace.MessageRef.
	MessageRef = pace.MessageRef
	// Limits describe how a Surface may be used; see pace.Limits.
	Limits = pace.Limits
	// Format is the markup of an outgoing message; see pace.Format.
	Format = pace.Format
	// RetryAfterError is a platform's 429; see pace.RetryAfterError.
	RetryAfterError = pace.RetryAfterError
	// Clock tells time and makes timers; see pace.Clock.
	Clock = pace.Clock
	// SystemClock is the real wall clock.
	SystemClock = pace.SystemClock
)

// The formats a Surface may be asked to send.
const (
	FormatPlain    = pace.FormatPlain
	FormatHTML     = pace.FormatHTML
	FormatMarkdown = pace.FormatMarkdown
	FormatRich     = pace.FormatRich
)

// Errors a Surface returns; see package pace.
var (
	ErrNotModified   = pace.ErrNotModified
	ErrBadFormat     = pace.ErrBadFormat
	ErrTooLong       = pace.ErrTooLong
	ErrGone          = pace.ErrGone
	ErrUndeliverable = pace.ErrUndeliverable
)
