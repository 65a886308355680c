package dctest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// do sends a request to the fake through its redirecting client.
func do(t *testing.T, s *Server, method, url, auth, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func TestServer(t *testing.T) {
	const send = "https://discord.com/api/v9/channels/5/messages"
	tests := []struct {
		name   string
		setup  func(s *Server)
		method string
		url    string
		auth   string
		body   string
		status int
		want   string
	}{
		{"send", nil, http.MethodPost, send, "Bot " + Token, `{"content":"hi"}`, 200, `"content":"hi"`},
		{"no token", nil, http.MethodPost, send, "", `{"content":"hi"}`, 401, `401: Unauthorized`},
		{"too long", nil, http.MethodPost, send, "Bot " + Token, `{"content":"` + strings.Repeat("x", 2001) + `"}`, 400, `BASE_TYPE_MAX_LENGTH`},
		{"rate limited", func(s *Server) { s.Inject(RateLimit(http.MethodPost, "/channels/5", 0.5)) },
			http.MethodPost, send, "Bot " + Token, `{"content":"hi"}`, 429, `"retry_after":0.5`},
		{"fault on other path", func(s *Server) { s.Inject(RateLimit(http.MethodPost, "/channels/6", 0.5)) },
			http.MethodPost, send, "Bot " + Token, `{"content":"hi"}`, 200, `"content":"hi"`},
		{"expired token", func(s *Server) { s.ExpireToken("tok") }, http.MethodPatch,
			"https://discord.com/api/v10/webhooks/" + AppID + "/tok/messages/@original", "", `{"content":"x"}`, 401, `50027`},
		{"edit unknown", nil, http.MethodPatch, send + "/77", "Bot " + Token, `{"content":"x"}`, 404, `10008`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			if tt.setup != nil {
				tt.setup(s)
			}
			status, body := do(t, s, tt.method, tt.url, tt.auth, tt.body)
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("got %d %s, want %d containing %s", status, body, tt.status, tt.want)
			}
		})
	}
}

func TestFaultTimesAndOriginal(t *testing.T) {
	s := New(t)
	s.Inject(Fault{Method: http.MethodPatch, Times: 2, Status: 500, Body: `{}`})
	url := s.APIURL() + "/webhooks/" + AppID + "/tok/messages/@original"
	for i, want := range []int{500, 500, 200} {
		if status, _ := do(t, s, http.MethodPatch, url, "", `{"content":"v`+string(rune('0'+i))+`"}`); status != want {
			t.Fatalf("request %d: status %d, want %d", i, status, want)
		}
	}
	msgs := s.Messages()
	if len(msgs) != 1 || msgs[0].Kind != KindOriginal || msgs[0].Content != "v2" {
		t.Errorf("messages = %+v", msgs)
	}
	if n := len(s.Requests()); n != 3 {
		t.Errorf("%d requests recorded, want 3", n)
	}
}

func TestAttachmentDownload(t *testing.T) {
	s := New(t)
	data := []byte("img")
	a := s.AddAttachment("a.png", "image/png", data)
	status, body := do(t, s, http.MethodGet, a.URL, "", "")
	if status != 200 || !bytes.Equal([]byte(body), data) {
		t.Fatalf("download = %d %q", status, body)
	}
	if d := s.Downloads(); len(d) != 1 || d[0] != a.ID+"/a.png" {
		t.Errorf("downloads = %v", d)
	}
	s.WaitFor(t, "the download to be recorded", func() bool { return len(s.Downloads()) == 1 })
}
