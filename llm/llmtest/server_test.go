package llmtest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm/llmtest"
)

func post(t *testing.T, srv *llmtest.Server, path, body string) (int, string) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestServerScript(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: []string{"data: a\n\n", "data: b\n\n"}, ChunkSize: 3},
		llmtest.Response{Status: 401, Body: llmtest.NativeErrorBody("InvalidApiKey", "no")})
	srv.SetDefault(llmtest.Response{Frames: []string{"data: d\n\n"}})
	tests := []struct {
		status int
		body   string
	}{
		{200, "data: a\n\ndata: b\n\n"},
		{401, `{"code":"InvalidApiKey","message":"no","request_id":"llmtest-request"}`},
		{200, "data: d\n\n"},
		{200, "data: d\n\n"},
	}
	for i, tt := range tests {
		status, body := post(t, srv, "/x", `{"n":`+string(rune('0'+i))+`}`)
		if status != tt.status || body != tt.body {
			t.Errorf("response %d = %d %q, want %d %q", i, status, body, tt.status, tt.body)
		}
	}
	reqs := srv.WaitRequests(t, 4)
	if len(reqs) != 4 || reqs[2].Path != "/x" || reqs[2].Body["n"] != float64(2) || reqs[0].Method != http.MethodPost {
		t.Errorf("recorded %+v", reqs)
	}
}

func TestServerUnscripted(t *testing.T) {
	srv := llmtest.NewServer(t)
	status, body := post(t, srv, "/", "not json")
	if status != http.StatusTeapot || !strings.Contains(body, "no response enqueued") {
		t.Errorf("got %d %q", status, body)
	}
	if r := srv.Requests(); len(r) != 1 || r[0].Body != nil || string(r[0].Raw) != "not json" {
		t.Errorf("recorded %+v", r)
	}
}
