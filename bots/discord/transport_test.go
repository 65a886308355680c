package discord

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots"
)

// slogTo returns a debug-level text logger writing to w.
func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// urlRecorder is a RoundTripper that records the URL and answers 204.
type urlRecorder struct{ got []string }

func (r *urlRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.got = append(r.got, req.URL.String()+" host="+req.Host)
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: req}, nil
}

func TestRewriteTransport(t *testing.T) {
	from := defaultAPIURL()
	tests := []struct {
		name, base, in, want string
	}{
		{"proxy", "https://proxy.example/discord/api/v10", from + "/channels/1/messages?x=1",
			"https://proxy.example/discord/api/v10/channels/1/messages?x=1 host=proxy.example"},
		{"trailing slash", "http://127.0.0.1:9/api/v10/", from + "/gateway/bot", "http://127.0.0.1:9/api/v10/gateway/bot host=127.0.0.1:9"},
		{"other host untouched", "https://proxy.example/api", "https://cdn.discordapp.com/attachments/1/a.png",
			"https://cdn.discordapp.com/attachments/1/a.png host=cdn.discordapp.com"},
		{"prefix lookalike untouched", "https://proxy.example/api", from + "0/x", from + "0/x host=discord.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &urlRecorder{}
			rt, err := newRewriteTransport(rec, from, tt.base)
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodGet, tt.in, nil)
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if len(rec.got) != 1 || rec.got[0] != tt.want {
				t.Errorf("sent %v, want %q", rec.got, tt.want)
			}
			if req.URL.String() != tt.in {
				t.Errorf("caller's request changed to %s", req.URL)
			}
		})
	}
	if rt, err := newRewriteTransport(http.DefaultTransport, from, ""); err != nil || rt != http.DefaultTransport {
		t.Error("empty base must leave the transport alone")
	}
}

func TestRefs(t *testing.T) {
	tests := []struct {
		ref  bots.MessageRef
		kind refKind
		id   string
		ok   bool
	}{
		{makeRef(kindChannel, "12"), kindChannel, "12", true},
		{makeRef(kindOriginal, "13"), kindOriginal, "13", true},
		{makeRef(kindFollowup, "14"), kindFollowup, "14", true},
		{bots.MessageRef{}, 0, "", false},
		{bots.MessageRef{ID: "x:1"}, 0, "", false},
		{bots.MessageRef{ID: "c:"}, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.ref.ID, ":", "_")+"_", func(t *testing.T) {
			k, id, err := parseRef(tt.ref)
			if (err == nil) != tt.ok || k != tt.kind || id != tt.id {
				t.Errorf("parseRef(%q) = %c %q %v", tt.ref.ID, k, id, err)
			}
		})
	}
}
