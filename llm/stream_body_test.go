package llm

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestStreamDropsBodyOnceShown checks that a stream forgets its request
// body (every image, base64) once text reached the caller, when no retry
// can need it any more.
func TestStreamDropsBodyOnceShown(t *testing.T) {
	const frame = "id:1\nevent:result\n:HTTP_STATUS/200\ndata:" +
		`{"output":{"choices":[{"message":{"role":"assistant","content":[{"text":"hi"}]},"finish_reason":"null"}]}}` + "\n\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, frame)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c, err := New(Config{BaseURL: srv.URL, APIKey: "k"}, srv.Client(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Stream(context.Background(), Request{Messages: []Message{{Role: RoleUser, Parts: []Part{TextPart("q")}}}})
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	defer s.Close()
	if len(s.body) == 0 {
		t.Fatal("no body before the first event")
	}
	if ev, err := s.Recv(); err != nil || ev.Text != "hi" {
		t.Fatalf("Recv = %+v, %v", ev, err)
	}
	if s.body != nil {
		t.Errorf("stream keeps its %d-byte request body after showing text", len(s.body))
	}
}
