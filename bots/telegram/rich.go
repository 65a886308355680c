package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
)

// The values of Config.RichMessages.
const (
	// RichAuto sends rich messages until the Bot API server shows it lacks
	// them (an unknown method, a rich edit refused as empty text), then
	// uses HTML for the rest of the Bot's life.
	RichAuto = "auto"
	// RichOn always tries rich messages first; a refusal falls back for
	// that reply only.
	RichOn = "on"
	// RichOff sends HTML messages, as before Bot API 10.1.
	RichOff = "off"
)

// The documented Rich Message Limits (Bot API 10.1,
// core.telegram.org/bots/api#rich-message-limits): "Up to 32768 UTF-8
// characters in the rich message text" and "Up to 500 blocks, including
// nested blocks, list items, ordered list items, table rows, quotation
// blocks, and details blocks". The layout keeps a margin under both.
const (
	RichMaxLen    = 32768 - 768
	RichMaxBlocks = 500 - 20
)

// richSwitch remembers that the server lacks rich messages. Its zero value
// is ready; it is safe for concurrent use.
type richSwitch struct {
	off  atomic.Bool
	once sync.Once
}

// richOn reports whether replies should be rich messages now.
func (b *Bot) richOn() bool {
	switch b.cfg.RichMessages {
	case RichOn:
		return true
	case RichAuto:
		return !b.rich.off.Load()
	}
	return false
}

// richUnsupported notes that the server lacks rich messages: in RichAuto
// mode the Bot uses HTML from now on, saying so once.
func (b *Bot) richUnsupported(ctx context.Context, err error) {
	if b.cfg.RichMessages != RichAuto {
		return
	}
	b.rich.off.Store(true)
	b.rich.once.Do(func() {
		b.log.WarnContext(ctx, "the Bot API server has no rich messages (Bot API 10.1); replies use HTML from now on",
			"err", err)
	})
}

// richCall calls a rich method and maps its errors: an answer showing the
// server lacks the method (404, or a rich edit refused for its missing
// text) disables rich messages (RichAuto) and, like any other 400 answer
// without a known meaning, is a refused rich state, bots.ErrBadFormat, so
// the reply goes on in HTML.
func (b *Bot) richCall(ctx context.Context, method string, p tgbotapi.Params, out any) error {
	err := b.call(ctx, method, p, out)
	var ae *apiError
	if err == nil || !errors.As(err, &ae) {
		return err
	}
	desc := strings.ToLower(ae.Description)
	switch {
	case ae.Code == 404, ae.Code == 400 && strings.Contains(desc, "text") && strings.Contains(desc, "empty"):
		b.richUnsupported(ctx, err)
		return fmt.Errorf("%w: %w", bots.ErrBadFormat, err)
	case ae.Code == 400 && ae.kind == nil:
		return fmt.Errorf("%w: %w", bots.ErrBadFormat, err)
	}
	return err
}

// inputRichMessage is the Bot API InputRichMessage object, as qwenbot
// sends it: Markdown only.
type inputRichMessage struct {
	Markdown string `json:"markdown"`
}
