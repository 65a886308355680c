package main

import (
	"io"
	"net"
	"os"

	"github.com/qwenbot/qwenbot/bots"
)

// runOptions are what main and tests vary around run. The zero value is
// run's behaviour.
type runOptions struct {
	// signals stop the program: the first drains, the second exits at
	// once. Nil means SIGINT and SIGTERM.
	signals <-chan os.Signal
	// sdkLogs routes the loggers of go-redis, tgbotapi and discordgo to
	// qwenbot's logger. Those loggers are package variables of the SDKs,
	// so only main sets this: once per process, before any bot runs.
	sdkLogs bool
	// environ, when set, returns the whole environment ("NAME=value"):
	// main passes os.Environ. With it an empty QWENBOT_* value sets its
	// key to empty and an unknown QWENBOT_* name is an error; without it
	// only getenv's non-empty values of known names count.
	environ func() []string
	// isTerminal, when set, reports whether a writer is a terminal: ask
	// then shows a spinner and renders Markdown and LaTeX. main passes
	// isTerminal; nil means never.
	isTerminal func(io.Writer) bool
	// started, when set, is called once serve is up, with the addresses it
	// listens on (tests listen on port 0).
	started func(endpoints)
	// observe, when set, wraps the metrics observer (tests watch turns
	// through it).
	observe func(bots.Observer) bots.Observer
}

// environment returns the whole environment, or nil when not known.
func (o runOptions) environment() []string {
	if o.environ == nil {
		return nil
	}
	return o.environ()
}

// terminal reports whether w is a terminal.
func (o runOptions) terminal(w io.Writer) bool {
	return o.isTerminal != nil && o.isTerminal(w)
}

// endpoints are the addresses a running serve listens on.
type endpoints struct {
	// ops serves /healthz, /readyz and /metrics; nil when http.listen is "".
	ops net.Addr
	// interactions is Discord's HTTP interactions endpoint; nil when
	// disabled.
	interactions net.Addr
	// telegramWebhook returns the Telegram webhook server's address once
	// it listens ("" before, and when Telegram is off or polls).
	telegramWebhook func() string
}
