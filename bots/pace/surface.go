package pace

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Format is the markup of an outgoing message's text.
type Format int

// The formats a Surface may be asked to send.
const (
	// FormatPlain is text shown as is.
	FormatPlain Format = iota
	// FormatHTML is Telegram's HTML subset (b, i, u, s, code, pre, a, blockquote).
	FormatHTML
	// FormatMarkdown is Discord-flavoured Markdown.
	FormatMarkdown
	// FormatRich is Telegram's rich Markdown (Bot API 10.1 rich messages):
	// native math, tables and headings, sized by Limits.RichMaxLen and
	// Limits.RichMaxBlocks. A surface that prefers it also takes
	// FormatHTML, the fallback when a rich state is refused.
	FormatRich
)

// String returns the format's name.
func (f Format) String() string {
	switch f {
	case FormatHTML:
		return "html"
	case FormatMarkdown:
		return "markdown"
	case FormatRich:
		return "rich"
	default:
		return "plain"
	}
}

// MessageRef identifies a message the bot sent. ID is opaque to the engine:
// each adapter encodes what it needs to edit or reply to the message. The
// zero MessageRef means "no message".
type MessageRef struct {
	ID string
}

// IsZero reports whether r refers to no message.
func (r MessageRef) IsZero() bool { return r.ID == "" }

// Outgoing is one state of a message: what to send, or what to edit it into.
type Outgoing struct {
	// Text is already rendered in Format and fits Limits.MaxLen.
	Text   string
	Format Format
	// ReplyTo makes a new message a reply to this one (Send only).
	ReplyTo MessageRef
	// StopButton attaches a control that stops the running turn, where the
	// platform has one. Edits without it remove the control.
	StopButton bool
	// StopID identifies the running turn when StopButton is set; the
	// adapter encodes it in the control so a press reaches
	// Engine.StopTurn, which ignores presses on the controls of turns that
	// have ended and refuses those of anyone but the turn's asker or an
	// admin.
	StopID string
}

// Limits describe how a Surface may be used. They are fixed for the life of
// a Surface.
type Limits struct {
	// MaxLen is the longest Text accepted, as measured by Count.
	MaxLen int
	// Count measures text as the platform counts it (Telegram: UTF-16 code
	// units of the text after entity parsing). Nil means count runes.
	Count func(string) int
	// Format is the rich format this surface prefers.
	Format Format
	// EditInterval is the least time between an intermediate state of a
	// streaming reply and the chat's previous request: the pace of the
	// edits while the model writes. A reply's first text and its final
	// state do not wait for it.
	EditInterval time.Duration
	// PerSecond and Burst are the chat's token bucket: PerSecond message
	// requests per second on average, with bursts of up to Burst (at least
	// 1). Zero PerSecond means no bucket.
	PerSecond float64
	Burst     int
	// WindowCap caps the requests per rolling Window (a minute when zero)
	// in this chat; zero means no cap.
	WindowCap int
	Window    time.Duration
	// Drafts reports that the surface implements Drafter and should stream
	// through drafts (Telegram private chats).
	Drafts bool
	// RichMaxLen and RichMaxBlocks size FormatRich messages: characters
	// (runes) and blocks as render.RichBlocks counts them. MaxLen and
	// Count keep sizing the other formats.
	RichMaxLen    int
	RichMaxBlocks int
}

// Surface is where one chat's replies appear. Adapters implement it for one
// chat (and thread) of their platform. Methods may be called from any
// goroutine, but the engine never calls two methods for the same message at
// once.
type Surface interface {
	// Send posts a new message and returns its reference.
	Send(ctx context.Context, m Outgoing) (MessageRef, error)
	// Edit replaces the text of a message sent earlier.
	Edit(ctx context.Context, ref MessageRef, m Outgoing) error
	// Delete removes a message sent earlier.
	Delete(ctx context.Context, ref MessageRef) error
	// Typing shows a "typing…" indicator for a few seconds.
	Typing(ctx context.Context) error
	// Limits returns the surface's limits.
	Limits() Limits
}

// Drafter is implemented by surfaces that can stream a reply natively as a
// draft (Telegram's sendMessageDraft). A draft is ephemeral: the reply is
// finished with Send.
type Drafter interface {
	// Draft shows m as the draft with the given non-zero id.
	Draft(ctx context.Context, draftID int64, m Outgoing) error
}

// Errors a Surface returns, so the engine can tell them apart with errors.Is
// and errors.As.
var (
	// ErrNotModified means the edit changed nothing; it counts as success.
	ErrNotModified = errors.New("message is not modified")
	// ErrBadFormat means the platform could not parse the markup; the same
	// state should be sent again as plain text.
	ErrBadFormat = errors.New("cannot parse message formatting")
	// ErrTooLong means the text exceeded the platform's length limit.
	ErrTooLong = errors.New("message is too long")
	// ErrGone means the message (or the permission to edit it) no longer
	// exists; the reply continues in a new message.
	ErrGone = errors.New("message can no longer be edited")
	// ErrUndeliverable means this chat takes no messages from the bot: it
	// was blocked or kicked, the forum topic is closed or gone, or it has
	// no right to write. Retrying will not help; the reply gives up at
	// once.
	ErrUndeliverable = errors.New("chat takes no messages from the bot")
)

// RetryAfterError is returned when the platform rate-limited a request: the
// chat must wait After before its next request.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

// Error implements error.
func (e *RetryAfterError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("rate limited, retry after %s: %v", e.After, e.Err)
	}
	return fmt.Sprintf("rate limited, retry after %s", e.After)
}

// Unwrap returns the underlying error.
func (e *RetryAfterError) Unwrap() error { return e.Err }
