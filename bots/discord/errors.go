package discord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
)

// Discord JSON error codes the adapter acts on.
const (
	codeUnknownMessage      = 10008
	codeUnknownWebhook      = 10015
	codeUnknownInteraction  = 10062
	codeInvalidWebhookToken = 50027
	codeInvalidFormBody     = 50035
)

// errTokenExpired means an interaction's token can no longer be used: the
// reply continues in channel messages.
var errTokenExpired = fmt.Errorf("interaction token expired: %w", bots.ErrGone)

// defaultRetryAfter is the pause after a 429 that names no retry time.
const defaultRetryAfter = time.Second

// classify maps a discordgo error to the errors bots.Surface promises:
// *bots.RetryAfterError on 429, bots.ErrTooLong, bots.ErrGone for unknown
// messages and, for interaction webhooks, errTokenExpired. Other errors are
// returned unchanged.
func classify(err error, webhook bool) error {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return &bots.RetryAfterError{After: positive(rl.RetryAfter), Err: err}
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return err
	}
	code := 0
	if re.Message != nil {
		code = re.Message.Code
	}
	status := re.Response.StatusCode
	switch {
	case status == http.StatusTooManyRequests:
		return &bots.RetryAfterError{After: retryAfter(re), Err: err}
	case code == codeInvalidFormBody && bytes.Contains(re.ResponseBody, []byte("LENGTH")):
		return fmt.Errorf("%w: %w", bots.ErrTooLong, err)
	case webhook && (status == http.StatusUnauthorized || code == codeInvalidWebhookToken ||
		code == codeUnknownWebhook || code == codeUnknownInteraction):
		return fmt.Errorf("%w: %w", errTokenExpired, err)
	case code == codeUnknownMessage:
		return fmt.Errorf("%w: %w", bots.ErrGone, err)
	}
	return err
}

// retryAfter reads how long Discord asked to wait: the JSON retry_after
// (seconds, fractional), else the Retry-After header, else a second.
func retryAfter(re *discordgo.RESTError) time.Duration {
	var body struct {
		RetryAfter float64 `json:"retry_after"`
	}
	if json.Unmarshal(re.ResponseBody, &body) == nil && body.RetryAfter > 0 {
		return seconds(body.RetryAfter)
	}
	if s, err := strconv.ParseFloat(re.Response.Header.Get("Retry-After"), 64); err == nil && s > 0 {
		return seconds(s)
	}
	return defaultRetryAfter
}

// seconds converts fractional seconds to a Duration, rounding up to the
// millisecond.
func seconds(s float64) time.Duration {
	return time.Duration(math.Ceil(s*1000)) * time.Millisecond
}

// positive returns d, or defaultRetryAfter when d is not positive.
func positive(d time.Duration) time.Duration {
	if d <= 0 {
		return defaultRetryAfter
	}
	return d
}

// scrubError hides a secret (an interaction token, which discordgo puts in
// URLs and rate-limit messages) from an error's text while keeping the
// chain intact for errors.Is and errors.As.
type scrubError struct {
	err    error
	secret string
}

// Error implements error.
func (e *scrubError) Error() string {
	return strings.ReplaceAll(e.err.Error(), e.secret, "<token>")
}

// Unwrap returns the hidden error.
func (e *scrubError) Unwrap() error { return e.err }

// scrub wraps err so its text never shows secret.
func scrub(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	return &scrubError{err: err, secret: secret}
}
