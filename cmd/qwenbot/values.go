package main

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

var durationType = reflect.TypeFor[time.Duration]()

// Messages for values of the wrong kind, the same for config.toml and the
// environment.
const (
	needDuration = "must be a duration like 30s, 10m or 168h"
	needInteger  = "must be an integer"
	needNumber   = "must be a number"
	needBool     = "must be true or false"
	needString   = "must be a string"
	needList     = "must be a list"
)

// setFromString parses raw (an environment value) into v according to v's
// type. An empty raw sets a string or a list to empty; for other types it
// is an error.
func setFromString(v reflect.Value, raw string) error {
	if v.Type() == durationType {
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("%s", needDuration)
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
			return fmt.Errorf("%s", needBool)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("%s", needInteger)
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
			return fmt.Errorf("%s", needNumber)
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
			return fmt.Errorf("item %q: %w", p, err)
		}
		s = reflect.Append(s, e)
	}
	v.Set(s)
	return nil
}

// setFromTOML stores a decoded TOML value (string, int64, float64, bool or
// []any) into v according to v's type.
func setFromTOML(v reflect.Value, raw any) error {
	if v.Type() == durationType {
		s, ok := raw.(string)
		if !ok {
			return fmt.Errorf("%s (in quotes)", needDuration)
		}
		return setFromString(v, s)
	}
	switch v.Kind() {
	case reflect.String:
		s, ok := raw.(string)
		if !ok {
			return fmt.Errorf("%s (in quotes)", needString)
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := raw.(bool)
		if !ok {
			return fmt.Errorf("%s", needBool)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := raw.(int64)
		if !ok {
			return fmt.Errorf("%s", needInteger)
		}
		v.SetInt(n)
	case reflect.Float64:
		switch n := raw.(type) {
		case float64:
			v.SetFloat(n)
		case int64:
			v.SetFloat(float64(n))
		default:
			return fmt.Errorf("%s", needNumber)
		}
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if err := setFromTOML(p.Elem(), raw); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Slice:
		items, ok := raw.([]any)
		if !ok {
			return fmt.Errorf("%s, like [1, 2]", needList)
		}
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		for i, it := range items {
			if err := setFromTOML(s.Index(i), it); err != nil {
				return fmt.Errorf("item %d: %w", i+1, err)
			}
		}
		v.Set(s)
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}
