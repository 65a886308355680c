package llm_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
)

func TestCheckKey(t *testing.T) {
	tests := []struct {
		name     string
		protocol llm.Protocol
		status   int
		body     string
		want     error // nil: no error
	}{
		{name: "key works", protocol: llm.ProtocolOpenAI, status: 200, body: `{"data":[]}`},
		{name: "key rejected", protocol: llm.ProtocolOpenAI, status: 401, body: `{"error":{"code":"invalid_api_key","message":"Incorrect API key provided: sk-secret"}}`, want: llm.ErrMisconfigured},
		{name: "no /models", protocol: llm.ProtocolOpenAI, status: 404, body: `not found`, want: llm.ErrKeyUnchecked},
		{name: "native has no free call", protocol: llm.ProtocolDashScope, want: llm.ErrKeyUnchecked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				if r.Method != http.MethodGet || r.URL.Path != "/v1/models" || r.Header.Get("Authorization") != "Bearer sk-secret" {
					t.Errorf("%s %s, auth %q", r.Method, r.URL.Path, r.Header.Get("Authorization"))
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, err := llm.New(llm.Config{Protocol: tt.protocol, BaseURL: srv.URL + "/v1", APIKey: "sk-secret"}, srv.Client(), nil)
			if err != nil {
				t.Fatal(err)
			}
			err = c.CheckKey(context.Background())
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("CheckKey() = %v, want %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "sk-secret") {
				t.Errorf("error leaks the key: %v", err)
			}
			if tt.protocol == llm.ProtocolDashScope && calls != 0 {
				t.Errorf("%d requests for the native protocol, want none", calls)
			}
		})
	}
}
