// Command qwenbot-load measures qwenbot under load: pacing, latency and
// cost at many concurrent chats.
//
// It starts, on loopback only, a fake DashScope that streams answers
// (reasoning, then answer, at a configurable pace) and a fake Telegram Bot
// API that enforces Telegram's limits (about 1 message/s per private chat
// with small bursts, 20 per minute per group, 30 requests/s per bot,
// answering 429 with an escalating retry_after). Simulated users in
// private chats and groups send questions through them to the real
// Telegram adapter, engine, pacer and Redis, and the run reports what the
// users saw and what the bot spent, as a Markdown table and one JSON line.
// Per reply it measures the model's first text to the first model text on
// screen (placeholders do not count; drafts do), the model's last chunk to
// the final answer on screen, and the question to the final answer.
//
// --scenario group-burst instead has --users askers in one group address
// the bot at the same moment and reports each of their replies.
//
// The fakes and users run in a child process (the same binary), so the CPU
// and memory figures are the bot's alone; --in-process keeps them in one
// process. Redis is REDIS_URL (or REDIS_ADDR, else 127.0.0.1:6379), which
// must be loopback; the run's keys live under a unique prefix and are
// deleted at the end.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "qwenbot-load:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "qwenbot-load:", err)
		os.Exit(1)
	}
}

// usageError is a bad command line.
type usageError struct{ error }

// Unwrap returns the underlying error.
func (e usageError) Unwrap() error { return e.error }

// run runs one load with the command line args and prints its report to
// stdout; with the hidden first argument worldArg it is the world's
// process instead, speaking JSON lines on stdin and stdout.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) > 0 && args[0] == worldArg {
		return runWorld(ctx, stdin, stdout)
	}
	o, err := parseOptions(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return usageError{err}
	}
	rep, err := load(ctx, o, stderr)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	return rep.write(stdout, o.JSONOnly)
}
