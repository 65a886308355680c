package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

func TestExplainAuth(t *testing.T) {
	rejected := &llm.APIError{Status: 401, Code: "InvalidApiKey", Message: "Invalid API-key provided."}
	tests := []struct {
		name, baseURL string
		err           error
		want          []string
	}{
		{"dashscope says region", "https://dashscope.aliyuncs.com", rejected,
			[]string{"InvalidApiKey", "llm.base_url is https://dashscope.aliyuncs.com", "keys are per region", "https://dashscope-intl.aliyuncs.com"}},
		{"self-hosted names the server", "http://vllm:8000/v1", rejected, []string{"llm.base_url is http://vllm:8000/v1", "DASHSCOPE_API_KEY"}},
		{"other errors unchanged", "https://dashscope.aliyuncs.com", &llm.APIError{Status: 429, Code: "Throttling"}, []string{"Throttling"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explainAuth(tt.err, tt.baseURL)
			if !errors.Is(got, tt.err) {
				t.Errorf("explainAuth() = %v, lost the original error", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got.Error(), w) {
					t.Errorf("explainAuth() = %v, want it to say %q", got, w)
				}
			}
		})
	}
}

func TestModelAuthForReadyz(t *testing.T) {
	a := newModelAuth("https://dashscope-intl.aliyuncs.com")
	ctx := context.Background()
	if err := a.check(ctx); !errors.As(err, new(readyNote)) || !strings.Contains(err.Error(), "unchecked until the first turn") {
		t.Errorf("before any turn: %v, want a note that the key is unchecked", err)
	}
	a.observe(&llm.APIError{Status: 500, Code: "InternalError"})
	if err := a.check(ctx); !errors.As(err, new(readyNote)) {
		t.Errorf("after a server error: %v, want still unchecked", err)
	}
	a.observe(&llm.APIError{Status: 401, Code: "InvalidApiKey"})
	if err := a.check(ctx); err == nil || errors.As(err, new(readyNote)) || !strings.Contains(err.Error(), "per region") {
		t.Errorf("after a rejected key: %v, want the failure with the region hint", err)
	}
	a.observe(nil)
	if err := a.check(ctx); err != nil {
		t.Errorf("after a turn succeeded: %v, want ok", err)
	}
}

func TestServeStopsOnRejectedKey(t *testing.T) {
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.Method+" "+r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":{"code":"invalid_api_key","message":"Incorrect API key provided."}}`))
	}))
	defer srv.Close()
	code, _, errOut := runMain(t, map[string]string{
		"DASHSCOPE_API_KEY":    "sk-bad-key",
		"QWENBOT_LLM_PROTOCOL": "openai",
		"QWENBOT_LLM_BASE_URL": srv.URL + "/v1",
		"TELEGRAM_BOT_TOKEN":   "1:not-used",
		"QWENBOT_HTTP_LISTEN":  "",
	}, "serve")
	if code != exitError {
		t.Errorf("exit %d, want %d", code, exitError)
	}
	if !strings.Contains(errOut, "llm.base_url is "+srv.URL+"/v1") || strings.Contains(errOut, "sk-bad-key") {
		t.Errorf("stderr does not name the base URL, or leaks the key:\n%s", errOut)
	}
	if len(paths) != 1 || paths[0] != "GET /v1/models" {
		t.Errorf("requests %v, want one GET /v1/models (no tokens spent)", paths)
	}
}

func TestServeReportsRejectedKeyUntilATurnSucceeds(t *testing.T) {
	x := newTGStack(t)
	x.model.Enqueue(llmtest.Response{Status: 401, Body: llmtest.NativeErrorBody("InvalidApiKey", "Invalid API-key provided.")})
	srv := startServe(t, x.env())
	if code, body := srv.get(t, "/readyz"); !strings.Contains(body, "model: ok (key unchecked until the first turn") {
		t.Errorf("/readyz before any turn = %d %q, want the key unchecked", code, body)
	}
	x.tg.Push(tgtest.Message{ID: 1, Chat: tgtest.PrivateChat(alice), From: alice, Text: "hi"})
	if r := recv(t, srv.turns.finished, "the first turn"); r.Outcome != "misconfigured" {
		t.Errorf("outcome %q, want misconfigured", r.Outcome)
	}
	want := "llm.base_url is " + x.model.URL
	srv.stderr.waitFor(t, want) // in the operator's log line
	code, body := srv.get(t, "/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "model: ") || !strings.Contains(body, want) {
		t.Errorf("/readyz after a rejected key = %d %q, want 503 naming the base URL", code, body)
	}
	x.tg.Push(tgtest.Message{ID: 2, Chat: tgtest.PrivateChat(alice), From: alice, Text: "hi again"})
	if r := recv(t, srv.turns.finished, "the second turn"); r.Outcome != "ok" {
		t.Errorf("outcome %q, want ok", r.Outcome)
	}
	if code, body := srv.get(t, "/readyz"); code != http.StatusOK || !strings.Contains(body, "model: ok\n") {
		t.Errorf("/readyz after a turn succeeded = %d %q, want model: ok", code, body)
	}
}
