package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/bots/discord"
)

// newLogger builds the process logger from the [log] config. In JSON,
// durations are milliseconds under a key ending in "_ms" ("first_token":
// 2.4ms becomes "first_token_ms": 2.4), not bare nanoseconds; the text
// format writes them as Go durations ("2.4ms").
func newLogger(c LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(strings.ToUpper(c.Level))) // validated already
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		opts.ReplaceAttr = durationsInMillis
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logJSON writes a start-up error through the logger when the logs are
// JSON (as far as the configuration could be read), so log collectors see
// one JSON line; it returns err marked as logged. With text logs it
// returns err as it is: run prints it plainly, one problem a line.
func logJSON(c LogConfig, stderr io.Writer, err error) error {
	if c.Format != "json" {
		return err
	}
	newLogger(c, stderr).Error("qwenbot did not start", "err", err)
	return loggedError{err}
}

// durationsInMillis rewrites a duration attribute as milliseconds, with
// microsecond precision, under its key plus "_ms".
func durationsInMillis(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() != slog.KindDuration {
		return a
	}
	ms := math.Round(float64(a.Value.Duration())/float64(time.Microsecond)) / 1000
	return slog.Float64(a.Key+"_ms", ms)
}

// routeSDKLogs sends the SDKs' own log lines to log, so they share its
// format and level: discordgo's (tokens scrubbed, warnings at Warn),
// tgbotapi's (only written in its debug mode, which qwenbot never enables:
// Debug) and go-redis's (pool and connection trouble: Warn). Each SDK keeps
// its logger in a package variable, so this changes process-wide state:
// main calls it once, before any bot runs; run and the tests never do.
func routeSDKLogs(log *slog.Logger) {
	discord.LogSDK(log)
	_ = tgbotapi.SetLogger(slog.NewLogLogger(log.With("component", "tgbotapi").Handler(), slog.LevelDebug))
	redis.SetLogger(redisLogger{log.With("component", "go-redis")})
}

// redisLogger adapts slog to go-redis's logger interface.
type redisLogger struct{ log *slog.Logger }

// Printf logs one go-redis line at Warn.
func (l redisLogger) Printf(ctx context.Context, format string, v ...any) {
	if l.log.Enabled(ctx, slog.LevelWarn) {
		l.log.WarnContext(ctx, fmt.Sprintf(format, v...))
	}
}
