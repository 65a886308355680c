package main

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// envPrefix starts the name of every environment variable that overrides a
// config.toml key: llm.model is QWENBOT_LLM_MODEL.
const envPrefix = "QWENBOT_"

var durationType = reflect.TypeFor[time.Duration]()

// envError lists the environment variables whose values could not be
// parsed; the rest of the configuration is still usable for validation.
type envError struct{ err error }

func (e envError) Error() string { return e.err.Error() }
func (e envError) Unwrap() error { return e.err }

// applyEnv overrides every config key whose QWENBOT_SECTION_KEY variable is
// set and non-empty. Lists are comma-separated. Every bad value is
// reported, as an envError.
func applyEnv(cfg *Config, getenv func(string) string) error {
	var errs []error
	walkKeys(reflect.ValueOf(cfg).Elem(), "", func(key string, v reflect.Value) {
		name := envName(key)
		raw := getenv(name)
		if raw == "" {
			return
		}
		if err := setFromString(v, raw); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	})
	if len(errs) == 0 {
		return nil
	}
	return envError{errors.Join(errs...)}
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

// setFromString parses raw into v according to v's type.
func setFromString(v reflect.Value, raw string) error {
	if v.Type() == durationType {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := setFromString(p.Elem(), raw); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return err
		}
		v.SetFloat(f)
	case reflect.Slice:
		return setList(v, raw)
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

// setList parses a comma-separated list into a slice.
func setList(v reflect.Value, raw string) error {
	parts := strings.Split(raw, ",")
	s := reflect.MakeSlice(v.Type(), 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		e := reflect.New(v.Type().Elem()).Elem()
		if err := setFromString(e, p); err != nil {
			return err
		}
		s = reflect.Append(s, e)
	}
	v.Set(s)
	return nil
}
