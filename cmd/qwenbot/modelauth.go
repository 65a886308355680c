package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/qwenbot/qwenbot/llm"
)

// DashScope's endpoints by region; a key works only in its own region.
const (
	beijingBaseURL   = "https://dashscope.aliyuncs.com"
	singaporeBaseURL = "https://dashscope-intl.aliyuncs.com"
)

// keyCheckTimeout bounds the start-up check of the model credentials.
const keyCheckTimeout = 10 * time.Second

// isAuthError reports whether err is the model server rejecting the key.
func isAuthError(err error) bool {
	var ae *llm.APIError
	return errors.As(err, &ae) && (ae.Status == 401 || strings.EqualFold(ae.Code, "InvalidApiKey") || strings.EqualFold(ae.Code, "invalid_api_key"))
}

// explainAuth adds to a rejected-key error which base URL was asked and,
// for DashScope, that keys are per region. Other errors are returned as
// they are.
func explainAuth(err error, baseURL string) error {
	if !isAuthError(err) {
		return err
	}
	if u, perr := url.Parse(baseURL); perr == nil && strings.Contains(u.Host, "dashscope") {
		return fmt.Errorf("%w (llm.base_url is %s; DashScope keys are per region: a Singapore (international) key works only with %s, a Beijing key only with %s; check DASHSCOPE_API_KEY and llm.base_url)",
			err, baseURL, singaporeBaseURL, beijingBaseURL)
	}
	return fmt.Errorf("%w (llm.base_url is %s; check DASHSCOPE_API_KEY, the key of that server)", err, baseURL)
}

// errKeyUnchecked is /readyz's note while nothing has proved the key yet.
var errKeyUnchecked = errors.New("key unchecked until the first turn (no free request proves it)")

// modelAuth is what is known about the model credentials, for /readyz: the
// start-up check's result, then the latest turn's. Safe for concurrent use.
type modelAuth struct {
	baseURL string
	mu      sync.Mutex
	err     error // nil: proved; errKeyUnchecked; or the auth failure
}

func newModelAuth(baseURL string) *modelAuth {
	return &modelAuth{baseURL: baseURL, err: errKeyUnchecked}
}

// check is the /readyz check: an auth failure fails it; an unchecked key
// passes with a note.
func (a *modelAuth) check(context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if errors.Is(a.err, errKeyUnchecked) {
		return readyNote{a.err}
	}
	return a.err
}

// observe records the outcome of a request to the model: a rejected key
// (returned explained), or a success. Other errors say nothing about the
// key and leave the state as it is.
func (a *modelAuth) observe(err error) error {
	switch {
	case err == nil:
		a.set(nil)
	case isAuthError(err):
		err = explainAuth(err, a.baseURL)
		a.set(err)
	}
	return err
}

func (a *modelAuth) set(err error) {
	a.mu.Lock()
	a.err = err
	a.mu.Unlock()
}

// checkAtStart proves the key where the protocol allows it. A rejected key
// is returned, so serve stops with the reason; an unreachable server or a
// protocol without a free check is logged and the state stays unchecked.
func (a *modelAuth) checkAtStart(ctx context.Context, client *llm.Client, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(ctx, keyCheckTimeout)
	defer cancel()
	err := client.CheckKey(ctx)
	switch {
	case err == nil:
		a.set(nil)
		log.Info("model credentials accepted", "base_url", a.baseURL)
	case errors.Is(err, llm.ErrKeyUnchecked):
		log.Info("model key unchecked until the first turn (no free request proves it)", "base_url", a.baseURL)
	case errors.Is(err, llm.ErrMisconfigured):
		return fmt.Errorf("check model credentials: %w", a.observe(err))
	default:
		log.Warn("could not check the model credentials; trying again at the first turn", "base_url", a.baseURL, "err", err)
	}
	return nil
}

// readyNote is a passing readiness check with something to say.
type readyNote struct{ err error }

func (n readyNote) Error() string { return n.err.Error() }
func (n readyNote) Unwrap() error { return n.err }

// watchedModel is the model client as the engine sees it: every stream it
// opens tells auth whether the key worked, and a rejected key's error says
// which base URL was asked.
type watchedModel struct {
	*llm.Client
	auth *modelAuth
}

// Stream opens a stream and records what it proved about the key.
func (m watchedModel) Stream(ctx context.Context, req llm.Request) (*llm.Stream, error) {
	st, err := m.Client.Stream(ctx, req)
	if err != nil {
		return nil, m.auth.observe(err)
	}
	m.auth.observe(nil)
	return st, nil
}
