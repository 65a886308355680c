package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// command is one subcommand as help shows it.
type command struct {
	name     string
	synopsis string // arguments after "qwenbot NAME"
	summary  string
}

// commands returns the subcommands, in the order help lists them.
func commands() []command {
	return []command{
		{"serve", "[--config PATH]", "Run every configured bot (TELEGRAM_BOT_TOKEN, DISCORD_BOT_TOKEN); the default.\nSIGINT/SIGTERM drains running answers (chat.drain_timeout) and exits 0;\na second signal exits 1 at once."},
		{"ask", "[--config PATH] [--image FILE]... [--think] [--model M] [--explain] [PROMPT]", "Ask one question and stream the answer to stdout; with --think the\nmodel's reasoning goes to stderr first. With --image and no PROMPT it\nuses chat.photo_prompt (when empty, the built-in one in chat.language).\nWith --explain it prints what qwenbot assumes and sends for the model,\nand asks nothing. Ctrl-C ends it with exit code 130."},
		{"health", "[--config PATH] [--url URL]", "Ask the running server's /readyz (on http.listen); exit 0 when ready.\nThe container's health check."},
		{"version", "", "Print the version, commit and build date."},
		{"help", "", "Print this help."},
	}
}

// commandNames lists the subcommands for error messages.
func commandNames() string {
	cmds := commands()
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// printUsage writes the program's help.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "qwenbot: Qwen3-VL in Telegram and Discord chats.\n\nUsage:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  qwenbot %s %s\n", c.name, c.synopsis)
		for _, line := range strings.Split(c.summary, "\n") {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
	fmt.Fprint(w, `
"qwenbot --help", "qwenbot COMMAND --help": a command's flags.
"qwenbot --version": same as "qwenbot version".

Configuration: config.toml (default: ./config.toml when present), then
QWENBOT_<SECTION>_<KEY> environment variables (e.g. QWENBOT_LLM_MODEL).
Secrets come from the environment only: DASHSCOPE_API_KEY,
TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, DISCORD_BOT_TOKEN,
DISCORD_PUBLIC_KEY, REDIS_URL.

Exit codes: 0 ok, 1 API or runtime error, 2 usage or configuration error,
130 interrupted (ask).
`)
}

// helpRequested is returned by parseFlags for -h/--help: the caller prints
// the command's usage to stdout and exits 0.
type helpRequested struct{ fs *flag.FlagSet }

func (h helpRequested) Error() string { return "help requested" }

// print writes the command's synopsis and flags, each spelt --name as in
// the README.
func (h helpRequested) print(w io.Writer) {
	for _, c := range commands() {
		if c.name == h.fs.Name() {
			fmt.Fprintf(w, "Usage: qwenbot %s %s\n\n", c.name, c.synopsis)
			fmt.Fprintf(w, "%s\n\nFlags:\n", c.summary)
		}
	}
	h.fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		if arg != "" {
			arg = " " + strings.ToUpper(arg)
		}
		if _, ok := f.Value.(interface{ IsBoolFlag() bool }); ok {
			arg = ""
		}
		fmt.Fprintf(w, "  --%s%s\n      %s\n", f.Name, arg, usage)
	})
}

// flagError is a flag the command does not know or could not parse.
func flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return helpRequested{fs}
	}
	// The flag package names flags with one dash; help and README use two.
	msg := dashedFlag.ReplaceAllString(err.Error(), "$1--$2")
	return usageError{fmt.Errorf("%s: %s (see \"qwenbot %s --help\")", fs.Name(), msg, fs.Name())}
}

// dashedFlag finds a flag name the flag package wrote with one dash.
var dashedFlag = regexp.MustCompile(`(: |flag )-([a-z])`)
