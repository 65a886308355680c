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
	"strings"
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
	os.Exit(runWith(context.Background(), runOptions{sdkLogs: true, environ: os.Environ, isTerminal: isTerminal}, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// usageError marks errors that exit with exitUsage.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// loggedError marks errors already written to the configured logger:
// run prints them no second time.
type loggedError struct{ err error }

func (e loggedError) Error() string { return e.err.Error() }
func (e loggedError) Unwrap() error { return e.err }

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

// exitInterrupted is the exit code of an ask ended by Ctrl-C (128+SIGINT,
// as shells report it).
const exitInterrupted = 130

// dispatch runs the subcommand named by args and maps its error to an exit
// code.
func dispatch(ctx context.Context, opts runOptions, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd, rest := "serve", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, rest = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serveOrTopLevel(ctx, opts, rest, getenv, stdout, stderr)
	case "ask":
		err = ask(ctx, opts, rest, getenv, stdout, stderr)
	case "health":
		err = health(ctx, opts, rest, getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, buildInfo())
	case "help":
		printUsage(stdout)
	default:
		err = usageError{fmt.Errorf("unknown command %q (commands: %s; see \"qwenbot --help\")", cmd, commandNames())}
	}
	return exitCode(ctx, cmd, err, stdout, stderr)
}

// serveOrTopLevel runs serve, after the top-level flags --help and
// --version, which come before any command.
func serveOrTopLevel(ctx context.Context, opts runOptions, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help":
			printUsage(stdout)
			return nil
		case "-version", "--version":
			fmt.Fprintln(stdout, buildInfo())
			return nil
		}
	}
	return serve(ctx, opts, args, getenv, stderr)
}

// exitCode reports err (once, on stderr, or help on stdout) and returns the
// exit code for it.
func exitCode(ctx context.Context, cmd string, err error, stdout, stderr io.Writer) int {
	var help helpRequested
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &help):
		help.print(stdout)
		return exitOK
	case cmd == "ask" && errors.Is(context.Cause(ctx), errInterrupted):
		return exitInterrupted // the user pressed Ctrl-C: nothing to explain
	}
	if !errors.As(err, new(loggedError)) {
		fmt.Fprintf(stderr, "qwenbot: %v\n", err)
	}
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitError
}
