package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// LoadConfig builds the configuration: defaults, then the TOML file at path
// (skipped when path is empty), then the environment read through getenv.
// A file that is not valid TOML is an error on its own (with its line).
// Otherwise unknown keys and values of the wrong kind, in the file and in
// the environment, are returned together as a settingsError, with cfg
// holding everything else, so the caller can add Validate's problems.
func LoadConfig(path string, getenv func(string) string) (Config, error) {
	return loadConfig(path, getenv, nil)
}

// loadConfig is LoadConfig with the whole environment, when known (see
// applyEnv).
func loadConfig(path string, getenv func(string) string, environ []string) (Config, error) {
	cfg := DefaultConfig()
	var fileErr error
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("read config: %w", err)
		}
		var raw map[string]any
		if _, err := toml.Decode(string(b), &raw); err != nil {
			return cfg, parseError(path, err)
		}
		if err := applyFile(&cfg, raw); err != nil {
			fileErr = fmt.Errorf("%s: %w", path, err)
		}
	}
	envErr := applyEnv(&cfg, getenv, environ)
	secretsFromEnv(&cfg, getenv)
	if err := errors.Join(fileErr, envErr); err != nil {
		return cfg, settingsError{err}
	}
	return cfg, nil
}

// parseError describes a TOML syntax error with its line.
func parseError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("parse config %s:%d: %s", path, pe.Position.Line, pe.Message)
	}
	return fmt.Errorf("parse config %s: %w", path, err)
}

// applyFile stores the decoded file over cfg: every value of the wrong kind
// and every unknown key is reported, in key order.
func applyFile(cfg *Config, raw map[string]any) error {
	var errs []error
	known := map[string]bool{}
	walkKeys(reflect.ValueOf(cfg).Elem(), "", func(key string, v reflect.Value) {
		known[key] = true
		val, ok := lookupKey(raw, key)
		if !ok {
			return
		}
		if err := setFromTOML(v, val); err != nil {
			errs = append(errs, fmt.Errorf("%s = %s: %w", key, formatTOML(val), err))
		}
	})
	var unknown []string
	collectUnknown(raw, "", known, &unknown)
	slices.Sort(unknown)
	if len(unknown) > 0 {
		errs = append(errs, fmt.Errorf("unknown keys: %s", strings.Join(unknown, ", ")))
	}
	slices.SortStableFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

// lookupKey finds a dotted key in a decoded TOML document.
func lookupKey(raw map[string]any, key string) (any, bool) {
	var cur any = raw
	for _, part := range strings.Split(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// collectUnknown appends the dotted keys in raw that are neither known
// keys nor sections holding them.
func collectUnknown(raw map[string]any, prefix string, known map[string]bool, out *[]string) {
	for k, v := range raw {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		if known[key] {
			continue
		}
		if m, ok := v.(map[string]any); ok && isSection(key, known) {
			collectUnknown(m, key, known, out)
			continue
		}
		*out = append(*out, key)
	}
}

// isSection reports whether some known key lies under section.
func isSection(section string, known map[string]bool) bool {
	for k := range known {
		if strings.HasPrefix(k, section+".") {
			return true
		}
	}
	return false
}

// formatTOML writes a decoded value roughly as it appeared in the file.
func formatTOML(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}
