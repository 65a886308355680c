package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// defaultConfigPath is read when --config is not given and the file exists.
const defaultConfigPath = "config.toml"

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// parseInterleaved parses fs over args, allowing flags after positional
// arguments ("ask 'what is this' --image x.jpg"). It returns the positional
// arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// newFlagSet returns a flag set for a subcommand with the common --config
// flag bound to path. It prints nothing itself: parse errors are returned
// once, and --help is a helpRequested the caller prints to stdout.
func newFlagSet(name string, path *string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(path, "config", "", "`path` of config.toml (default ./config.toml when present)")
	return fs
}

// loadValidConfig loads and validates the configuration at path (or the
// default path when it exists). Problems are usage errors.
func loadValidConfig(path string, getenv func(string) string, environ []string) (Config, error) {
	if path == "" {
		if _, err := os.Stat(defaultConfigPath); err == nil {
			path = defaultConfigPath
		}
	}
	cfg, err := loadConfig(path, getenv, environ)
	if err != nil && !errors.As(err, new(settingsError)) {
		return cfg, usageError{err}
	}
	// Unknown keys, values of the wrong kind and invalid settings are
	// reported together.
	if err := errors.Join(err, cfg.Validate()); err != nil {
		return cfg, usageError{fmt.Errorf("invalid configuration:\n%w", err)}
	}
	return cfg, nil
}

// errNoAPIKey is returned when the DashScope protocol is used without a key.
var errNoAPIKey = errors.New("DASHSCOPE_API_KEY is not set (get a key in the Model Studio console)")
