package main

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// envPrefix starts the name of every environment variable that overrides a
// config.toml key: llm.model is QWENBOT_LLM_MODEL.
const envPrefix = "QWENBOT_"

// settingsError lists the settings (config.toml keys and environment
// variables) that are unknown or could not be parsed; the rest of the
// configuration is still usable for validation, so these are reported
// together with Validate's problems.
type settingsError struct{ err error }

func (e settingsError) Error() string { return e.err.Error() }
func (e settingsError) Unwrap() error { return e.err }

// applyEnv overrides every config key whose QWENBOT_SECTION_KEY variable is
// set. Lists are comma-separated. environ, when not nil, is the process's
// whole environment ("NAME=value", as os.Environ returns it): then an empty
// value sets a string or list key to empty, and a QWENBOT_ variable that
// names no key is an error. Without environ only non-empty values of known
// names (read through getenv) override. Every problem is reported, as a
// settingsError.
func applyEnv(cfg *Config, getenv func(string) string, environ []string) error {
	set := map[string]string{} // known variables that are set
	var errs []error
	known := map[string]bool{}
	walkKeys(reflect.ValueOf(cfg).Elem(), "", func(key string, _ reflect.Value) { known[envName(key)] = true })
	if environ == nil {
		for name := range known {
			if v := getenv(name); v != "" {
				set[name] = v
			}
		}
	}
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) {
			continue
		}
		if !known[name] {
			errs = append(errs, unknownEnvError(name, known))
			continue
		}
		set[name] = value
	}
	walkKeys(reflect.ValueOf(cfg).Elem(), "", func(key string, v reflect.Value) {
		name := envName(key)
		raw, ok := set[name]
		if !ok {
			return
		}
		if err := setFromString(v, raw); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", name, raw, err))
		}
	})
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return settingsError{errors.Join(errs...)}
}

// unknownEnvError says that name sets no config key, suggesting the
// nearest known name.
func unknownEnvError(name string, known map[string]bool) error {
	best, bestDist := "", 4 // suggest only close matches
	for k := range known {
		if d := editDistance(name, k); d < bestDist || d == bestDist && k < best {
			best, bestDist = k, d
		}
	}
	if best != "" {
		return fmt.Errorf("%s: unknown variable: no such config key (did you mean %s?)", name, best)
	}
	return fmt.Errorf("%s: unknown variable: no such config key (see config.toml)", name)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// envName is the environment variable for a dotted config key.
func envName(key string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// walkKeys calls fn for every leaf field with a toml tag, with its dotted
// key ("telegram.mode").
func walkKeys(v reflect.Value, prefix string, fn func(key string, v reflect.Value)) {
	t := v.Type()
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("toml")
		if tag == "" || tag == "-" {
			continue
		}
		key := tag
		if prefix != "" {
			key = prefix + "." + tag
		}
		f := v.Field(i)
		if f.Kind() == reflect.Struct && f.Type() != durationType {
			walkKeys(f, key, fn)
			continue
		}
		fn(key, f)
	}
}
