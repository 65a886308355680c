// Command qwenbot puts the Qwen3-VL vision model into Telegram and Discord
// chats. "qwenbot serve" runs the bots; "qwenbot ask" asks one question
// from the terminal. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // API or runtime error; also a second stop signal
	exitUsage = 2 // usage or configuration error
)

// main is the process: unlike run, it also routes the SDKs' process-wide
// loggers (go-redis, tgbotapi, discordgo) into qwenbot's logger, which is
// safe only once per process.
func main() {
	os.Exit(runWith(context.Background(), runOptions{sdkLogs: true, environ: os.Environ}, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// usageError marks errors that exit with exitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// run is the whole program: it parses args, loads config and runs the
// subcommand until it ends, ctx ends, or SIGINT/SIGTERM stops it (a second
// signal returns at once). It returns the process exit code. run changes no
// process-wide state other than signal delivery, so tests may run several
// at once.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return runWith(ctx, runOptions{}, args, getenv, stdout, stderr)
}

// runWith is run with the options main and tests vary.
func runWith(ctx context.Context, opts runOptions, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	sigs, stop := opts.signalChannel()
	defer stop()
	return untilSignalled(ctx, sigs, stderr, func(ctx context.Context) int {
		return dispatch(ctx, opts, args, getenv, stdout, stderr)
	})
}

// dispatch runs the subcommand named by args and maps its error to an exit
// code.
func dispatch(ctx context.Context, opts runOptions, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd, rest := "serve", args
	if len(args) > 0 && (args[0] == "serve" || args[0] == "ask" || args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		cmd, rest = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, opts, rest, getenv, stderr)
	case "ask":
		err = ask(ctx, opts, rest, getenv, stdout, stderr)
	default:
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "qwenbot: %v\n", err)
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitError
}

const usage = `qwenbot: Qwen3-VL in Telegram and Discord chats.

Usage:
  qwenbot [serve] [--config PATH]
      Run every configured bot (TELEGRAM_BOT_TOKEN, DISCORD_BOT_TOKEN).
      SIGINT/SIGTERM drains running answers (chat.drain_timeout) and exits
      0; a second signal exits 1 at once.
  qwenbot ask [--config PATH] [--image FILE]... [--think] [--model M] PROMPT
      Ask one question and stream the answer to stdout; with --think the
      model's reasoning goes to stderr first.

Configuration: config.toml (default: ./config.toml when present), then
QWENBOT_<SECTION>_<KEY> environment variables (e.g. QWENBOT_LLM_MODEL).
Secrets come from the environment only: DASHSCOPE_API_KEY,
TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, DISCORD_BOT_TOKEN,
DISCORD_PUBLIC_KEY, REDIS_URL.
`
