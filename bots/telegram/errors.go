package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
)

// apiError is an error answer of the Bot API ({"ok":false,...}).
type apiError struct {
	Method      string
	Code        int
	Description string
	// kind is the bots sentinel the answer maps to, if any.
	kind error
}

// Error implements error.
func (e *apiError) Error() string {
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
}

// Unwrap returns the bots sentinel error the answer maps to, or nil.
func (e *apiError) Unwrap() error { return e.kind }

// ErrUnauthorized is matched (errors.Is) by errors of Bot API answers
// rejecting the bot token: 401 Unauthorized, or 404 Not Found (no bot has
// that token). New returns it when getMe fails so.
var ErrUnauthorized = errors.New("telegram: bot token rejected")

// errUndeliverable marks answers saying the chat (or forum topic) takes no
// messages from the bot and retrying will not change that: the bot was
// blocked, kicked or lacks the right to write, the topic is closed or
// gone. It is not retryable. (An empty text is not: it maps to no sentinel,
// so the pacer skips that state and goes on with the next.)
var errUndeliverable = bots.ErrUndeliverable

// badRequestKind maps a 400 description to a bots sentinel error, to
// errUndeliverable, or to nil.
func badRequestKind(desc string) error {
	desc = strings.ToLower(desc)
	has := func(frags ...string) bool {
		for _, f := range frags {
			if strings.Contains(desc, f) {
				return true
			}
		}
		return false
	}
	switch {
	case has("message is not modified"):
		return bots.ErrNotModified
	case has("can't parse entities"):
		return bots.ErrBadFormat
	case has("message is too long", "text is too long"):
		return bots.ErrTooLong
	case has("message to edit not found", "message can't be edited",
		"message to delete not found", "message can't be deleted"):
		return bots.ErrGone
	case has("message thread not found", "topic_closed", "topic_deleted", "chat not found",
		"not enough rights to send", "have no rights to send", "chat_write_forbidden"):
		return errUndeliverable
	}
	return nil
}

// apiErrorFrom maps a Bot API error answer to bots' typed errors: 429 to
// *bots.RetryAfterError, known 400 answers to the bots sentinels, and 403
// (blocked, kicked) and the 400 answers of a chat the bot cannot write to
// to errUndeliverable, 401 and 404 (a rejected token) to ErrUnauthorized.
func apiErrorFrom(method string, te *tgbotapi.Error) error {
	e := &apiError{Method: method, Code: te.Code, Description: te.Message}
	if te.Code == 429 {
		after := time.Duration(te.RetryAfter) * time.Second
		if after <= 0 {
			after = time.Second
		}
		return &bots.RetryAfterError{After: after, Err: e}
	}
	switch te.Code {
	case 400:
		e.kind = badRequestKind(te.Message)
	case 403:
		e.kind = errUndeliverable
	case 401, 404:
		e.kind = ErrUnauthorized
	}
	return e
}

// scrubbedError is an error whose text had the bot token removed. It
// unwraps only to a context error, never to the original error.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// redacted replaces the token in error texts and URLs.
const redacted = "<token>"

// scrub removes token from err. A *url.Error (what tgbotapi and net/http
// return, with the token in its URL) keeps its type with the URL redacted;
// any other error carrying the token is replaced by its redacted text, still
// matching context.Canceled and context.DeadlineExceeded with errors.Is.
func scrub(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) && error(ue) == err && !strings.Contains(ue.Err.Error(), token) {
		return &url.Error{Op: ue.Op, URL: strings.ReplaceAll(ue.URL, token, redacted), Err: ue.Err}
	}
	return &scrubbedError{msg: strings.ReplaceAll(err.Error(), token, redacted), err: contextCause(err)}
}

// contextCause returns the context error err wraps, or nil.
func contextCause(err error) error {
	for _, c := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, c) {
			return c
		}
	}
	return nil
}
