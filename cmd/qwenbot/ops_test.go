package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

func TestOpsHandler(t *testing.T) {
	ok := func(context.Context) error { return nil }
	down := func(context.Context) error { return errors.New("connection refused") }
	tests := []struct {
		name     string
		path     string
		checks   []readiness
		wantCode int
		wantBody []string
	}{
		{name: "healthz", path: "/healthz", checks: []readiness{{"store", down}}, wantCode: 200, wantBody: []string{"ok"}},
		{name: "ready", path: "/readyz", checks: []readiness{{"store", ok}, {"telegram", ok}}, wantCode: 200,
			wantBody: []string{"store: ok", "telegram: ok"}},
		{name: "store down", path: "/readyz", checks: []readiness{{"store", down}, {"telegram", ok}}, wantCode: 503,
			wantBody: []string{"store: connection refused", "telegram: ok"}},
		{name: "metrics", path: "/metrics", wantCode: 200, wantBody: []string{"qwenbot_turns_in_flight 0", "qwenbot_redis_errors_total 0"}},
		{name: "unknown path", path: "/debug/pprof/", wantCode: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			newMetrics(reg)
			rec := httptest.NewRecorder()
			opsHandler(reg, tt.checks).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			body, _ := io.ReadAll(rec.Body)
			if rec.Code != tt.wantCode {
				t.Errorf("status %d, want %d", rec.Code, tt.wantCode)
			}
			for _, want := range tt.wantBody {
				if !strings.Contains(string(body), want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
		})
	}
}

func TestRedisFailures(t *testing.T) {
	cmd := func(err error, args ...any) redis.Cmder {
		c := redis.NewStatusCmd(context.Background(), args...)
		c.SetErr(err)
		return c
	}
	tests := []struct {
		name string
		cmd  redis.Cmder
		want bool
	}{
		{"success", cmd(nil, "get", "k"), false},
		{"nil reply", cmd(redis.Nil, "get", "k"), false},
		{"script to load", cmd(replyError("NOSCRIPT No matching script"), "evalsha", "x"), false},
		{"handshake the server lacks", cmd(replyError("ERR unknown subcommand 'setinfo'"), "client", "setinfo", "lib-name", "x"), false},
		{"old server without HELLO", cmd(replyError("ERR unknown command 'hello'"), "hello", "3"), false},
		{"error reply", cmd(replyError("OOM command not allowed"), "evalsha", "x"), true},
		{"connection closed", cmd(redis.ErrClosed, "get", "k"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := failed(tt.cmd); got != tt.want {
				t.Errorf("failed = %v, want %v", got, tt.want)
			}
		})
	}
}

// replyError is an error reply from Redis, as go-redis types them.
type replyError string

func (e replyError) Error() string { return string(e) }
func (e replyError) RedisError()   {}
