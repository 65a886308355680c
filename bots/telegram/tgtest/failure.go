package tgtest

import (
	"encoding/json"
	"fmt"
)

// Failure is a Bot API error answer: {"ok":false,"error_code":Code,
// "description":Description,"parameters":{"retry_after":RetryAfter}}.
type Failure struct {
	Code        int
	Description string
	// RetryAfter, in seconds, is sent in parameters when non-zero.
	RetryAfter int
}

// body returns the JSON answer.
func (f Failure) body() []byte {
	v := map[string]any{"ok": false, "error_code": f.Code, "description": f.Description}
	if f.RetryAfter != 0 {
		v["parameters"] = map[string]any{"retry_after": f.RetryAfter}
	}
	b, _ := json.Marshal(v) // a map of plain values always encodes
	return b
}

// TooManyRequests is the 429 answer asking to wait seconds.
func TooManyRequests(seconds int) Failure {
	return Failure{Code: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", seconds), RetryAfter: seconds}
}

// NotModified is the 400 answer to an edit that changes nothing.
func NotModified() Failure {
	return Failure{Code: 400, Description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}
}

// CantParse is the 400 answer to markup Telegram cannot parse.
func CantParse() Failure {
	return Failure{Code: 400, Description: `Bad Request: can't parse entities: Unsupported start tag "foo" at byte offset 0`}
}

// TooLong is the 400 answer to a text over 4096 characters.
func TooLong() Failure {
	return Failure{Code: 400, Description: "Bad Request: message is too long"}
}

// EditNotFound is the 400 answer to editing a message that does not exist.
func EditNotFound() Failure {
	return Failure{Code: 400, Description: "Bad Request: message to edit not found"}
}

// BadRequest is a 400 answer with the given description (without the
// "Bad Request: " prefix).
func BadRequest(description string) Failure {
	return Failure{Code: 400, Description: "Bad Request: " + description}
}

// Forbidden is the 403 answer of a chat the bot cannot write to.
func Forbidden() Failure {
	return Failure{Code: 403, Description: "Forbidden: bot was blocked by the user"}
}
