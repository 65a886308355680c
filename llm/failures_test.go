package llm_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

var okAnswer = llmtest.Answer{Text: []string{"o", "k"}, Usage: llm.Usage{InputTokens: 3, OutputTokens: 2, TotalTokens: 5}}

// textFrame is one native frame carrying answer text, unfinished.
var textFrame = okAnswer.Native()[0]

func TestPreStreamErrors(t *testing.T) {
	e500 := llmtest.Response{Status: 500, Body: llmtest.NativeErrorBody("InternalError", "An internal error has occured, please try again later.")}
	tests := []struct {
		name     string
		protocol llm.Protocol
		resp     []llmtest.Response
		want     []string
		requests int
	}{
		{"401 invalid key", llm.ProtocolDashScope,
			[]llmtest.Response{{Status: 401, Body: llmtest.NativeErrorBody("InvalidApiKey", "Invalid API-key provided.")}},
			[]string{"misconfig"}, 1},
		{"key echoed by the server is scrubbed", llm.ProtocolDashScope,
			[]llmtest.Response{{Status: 401, Body: llmtest.NativeErrorBody("InvalidApiKey", "Invalid API-key provided: "+llmtest.TestKey)}},
			[]string{"misconfig"}, 1},
		{"400 data inspection", llm.ProtocolDashScope,
			[]llmtest.Response{{Status: 400, Body: llmtest.NativeErrorBody("DataInspectionFailed", "Input data may contain inappropriate content.")}},
			[]string{"refused"}, 1},
		{"400 input too long", llm.ProtocolDashScope,
			[]llmtest.Response{{Status: 400, Body: llmtest.NativeErrorBody("InvalidParameter", "Range of input length should be [1, 129024]")}},
			[]string{"toolong"}, 1},
		{"400 data uri too large", llm.ProtocolDashScope,
			[]llmtest.Response{{Status: 400, Body: llmtest.NativeErrorBody("InvalidParameter", "Exceeded limit on max bytes per data-uri item : 10485760")}},
			[]string{"image"}, 1},
		{"SSE-framed 400", llm.ProtocolDashScope,
			[]llmtest.Response{{Status: 400, Frames: []string{llmtest.NativeErrorEvent(1, 400, "DataInspectionFailed", "Output data may contain inappropriate content.")}}},
			[]string{"refused"}, 1},
		{"SSE-framed error with status 200", llm.ProtocolDashScope,
			[]llmtest.Response{{Header: http.Header{"Content-Type": {"application/json"}},
				Body: "id:1\nevent:error\n:HTTP_STATUS/401\ndata:" + llmtest.NativeErrorBody("InvalidApiKey", "Invalid API-key provided.") + "\n\n"}},
			[]string{"misconfig"}, 1},
		{"500 until retries run out", llm.ProtocolDashScope,
			[]llmtest.Response{e500, e500, e500, e500}, []string{"transient"}, 4},
		{"502 HTML from a proxy", llm.ProtocolDashScope,
			slices.Repeat([]llmtest.Response{{Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html>Bad Gateway</html>"}}, 4),
			[]string{"transient"}, 4},
		{"openai 401", llm.ProtocolOpenAI,
			[]llmtest.Response{{Status: 401, Body: llmtest.OpenAIErrorBody("invalid_api_key", "Incorrect API key provided.", "invalid_request_error")}},
			[]string{"misconfig"}, 1},
		{"openai data inspection", llm.ProtocolOpenAI,
			[]llmtest.Response{{Status: 400, Body: llmtest.OpenAIErrorBody("data_inspection_failed", "Input data may contain inappropriate content.", "data_inspection_failed")}},
			[]string{"refused"}, 1},
		{"vllm context length", llm.ProtocolOpenAI,
			[]llmtest.Response{{Status: 400, Body: `{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.","type":"BadRequestError","param":null,"code":400}`}},
			[]string{"toolong"}, 1},
		{"model not found", llm.ProtocolOpenAI,
			[]llmtest.Response{{Status: 404, Body: llmtest.OpenAIErrorBody("model_not_found", "The model `qwen3-vl-pluss` does not exist or you do not have access to it.", "invalid_request_error")}},
			[]string{"misconfig"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(tt.resp...)
			cfg := srv.Config()
			cfg.Protocol, cfg.Clock = tt.protocol, &fakeClock{}
			_, err := ask(t, newClient(t, srv, cfg), llm.Request{})
			wantErr(t, err, tt.want...)
			var ae *llm.APIError
			if !errors.As(err, &ae) {
				t.Errorf("error %v is not an *APIError", err)
			}
			if n := len(srv.Requests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	throttled := llmtest.NativeErrorBody("Throttling.RateQuota", "Requests rate limit exceeded, please try again later.")
	tests := []struct {
		name  string
		first llmtest.Response
		check func(t *testing.T, waits []time.Duration)
	}{
		{"429 throttling with backoff", llmtest.Response{Status: 429, Body: throttled}, func(t *testing.T, waits []time.Duration) {
			if len(waits) != 1 || waits[0] < time.Millisecond/2 || waits[0] > time.Millisecond {
				t.Errorf("waits %v, want one jittered wait in [0.5ms, 1ms]", waits)
			}
		}},
		{"429 with Retry-After", llmtest.Response{Status: 429, Body: throttled, Header: http.Header{"Retry-After": {"7"}}},
			func(t *testing.T, waits []time.Duration) {
				if !slices.Equal(waits, []time.Duration{7 * time.Second}) {
					t.Errorf("waits %v, want [7s]", waits)
				}
			}},
		{"throttling event before any text", llmtest.Response{Frames: []string{
			llmtest.NativeErrorEvent(1, 429, "Throttling", "Requests throttling triggered.")}}, nil},
		{"idle before any text", llmtest.Response{Hang: true}, nil},
		{"cut mid-frame before any text", llmtest.Response{Frames: []string{"id:1\nevent:result\ndata:{\"output\":{\"ch"}}, nil},
		{"malformed frame before any text", llmtest.Response{Frames: []string{"data:{not json\n\n"}}, nil},
		{"connection aborted", llmtest.Response{Abort: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(tt.first, llmtest.Response{Frames: okAnswer.Native()})
			clock := &fakeClock{}
			cfg := srv.Config()
			cfg.Clock, cfg.IdleTimeout = clock, 100*time.Millisecond
			s, err := ask(t, newClient(t, srv, cfg), llm.Request{})
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if r := collect(t, s); r.err != nil || r.answer != "ok" {
				t.Fatalf("got %q, %v; want ok", r.answer, r.err)
			}
			if n := len(srv.Requests()); n != 2 {
				t.Errorf("%d requests, want 2", n)
			}
			if tt.check != nil {
				tt.check(t, clock.Waits())
			}
		})
	}
}

func TestRetryAfterTooLongIsNotWaited(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Status: 429, Header: http.Header{"Retry-After": {"3600"}},
		Body: llmtest.NativeErrorBody("Throttling.AllocationQuota", "Allocated quota exceeded, please increase your quota limit.")})
	clock := &fakeClock{}
	cfg := srv.Config()
	cfg.Clock = clock
	_, err := ask(t, newClient(t, srv, cfg), llm.Request{})
	wantErr(t, err, "rate", "transient")
	var ae *llm.APIError
	if !errors.As(err, &ae) || ae.RetryAfter != time.Hour {
		t.Errorf("RetryAfter = %v, want 1h", ae)
	}
	if len(clock.Waits()) != 0 || len(srv.Requests()) != 1 {
		t.Errorf("waits %v, %d requests; want none, 1", clock.Waits(), len(srv.Requests()))
	}
}

func TestFailuresAfterText(t *testing.T) {
	tests := []struct {
		name     string
		protocol llm.Protocol
		resp     llmtest.Response
		want     []string
		contains string
	}{
		{"throttling event", llm.ProtocolDashScope, llmtest.Response{Frames: []string{textFrame,
			llmtest.NativeErrorEvent(2, 429, "Throttling.RateQuota", "Requests rate limit exceeded.")}}, []string{"rate", "transient"}, "Throttling"},
		{"data inspection event", llm.ProtocolDashScope, llmtest.Response{Frames: []string{textFrame,
			llmtest.NativeErrorEvent(2, 400, "DataInspectionFailed", "Output data may contain inappropriate content.")}}, []string{"refused"}, "DataInspection"},
		{"body cut mid-frame", llm.ProtocolDashScope, llmtest.Response{Frames: []string{textFrame,
			"id:2\nevent:result\n:HTTP_STATUS/200\ndata:{\"output\":{\"choices\":[{\"mess"}}, []string{"transient"}, "mid-frame"},
		{"connection aborted", llm.ProtocolDashScope, llmtest.Response{Frames: []string{textFrame}, Abort: true}, []string{"transient"}, "read stream"},
		{"ended without finish reason", llm.ProtocolDashScope, llmtest.Response{Frames: []string{textFrame}}, []string{"transient"}, "ended early"},
		{"idle timeout", llm.ProtocolDashScope, llmtest.Response{Frames: []string{textFrame}, Hang: true}, []string{"transient"}, "idle"},
		{"openai error chunk", llm.ProtocolOpenAI, llmtest.Response{Frames: []string{okAnswer.OpenAI()[1],
			`data: {"error":{"object":"error","message":"engine died","type":"InternalServerError","code":500}}` + "\n\n"}}, []string{"transient"}, "engine died"},
		{"openai without finish or DONE", llm.ProtocolOpenAI, llmtest.Response{Frames: okAnswer.OpenAI()[:2]}, []string{"transient"}, "ended early"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(tt.resp)
			srv.SetDefault(llmtest.Response{Frames: okAnswer.Native()})
			cfg := srv.Config()
			cfg.Protocol, cfg.IdleTimeout, cfg.Clock = tt.protocol, 50*time.Millisecond, &fakeClock{}
			s, err := ask(t, newClient(t, srv, cfg), llm.Request{})
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			r := collect(t, s)
			if r.answer != "o" {
				t.Errorf("answer %q, want the text before the failure", r.answer)
			}
			wantErr(t, r.err, tt.want...)
			if r.err != nil && !strings.Contains(r.err.Error(), tt.contains) {
				t.Errorf("error %q does not mention %q", r.err, tt.contains)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests, want 1: no retry after text", n)
			}
		})
	}
}

// TestOpenAIErrorChunkBeforeText checks in-stream error chunks, which
// carry no HTTP status: a named client error is final, a server error or
// a bare one is retried.
func TestOpenAIErrorChunkBeforeText(t *testing.T) {
	tests := []struct {
		name     string
		chunk    string
		final    bool // not retried: a 400
		requests int
	}{
		{"invalid parameter", llmtest.OpenAIErrorEvent("invalid_parameter_error", "Parameter top_k is invalid.", "invalid_request_error"), true, 1},
		{"type only", `data: {"error":{"message":"bad image","type":"invalid_request_error","code":null}}` + "\n\n", true, 1},
		{"server error", llmtest.OpenAIErrorEvent("internal_error", "Internal server error.", "server_error"), false, 2},
		{"no code", `data: {"error":{"message":"oops"}}` + "\n\n", false, 2},
		{"numeric code", `data: {"error":{"message":"engine died","type":"InternalServerError","code":500}}` + "\n\n", false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(llmtest.Response{Frames: []string{tt.chunk}})
			srv.SetDefault(llmtest.Response{Frames: okAnswer.OpenAI()})
			cfg := srv.OpenAIConfig()
			cfg.Clock = &fakeClock{}
			s, err := ask(t, newClient(t, srv, cfg), llm.Request{})
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			r := collect(t, s)
			if tt.final {
				wantErr(t, r.err)
				var ae *llm.APIError
				if !errors.As(r.err, &ae) || ae.Status != http.StatusBadRequest {
					t.Errorf("error %v, want a 400 APIError", r.err)
				}
			} else if r.err != nil || r.answer != "ok" {
				t.Errorf("after a retry: answer %q, error %v", r.answer, r.err)
			}
			if n := len(srv.Requests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
		})
	}
}

func TestResponseHeaderTimeout(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{HangBeforeHeaders: true})
	cfg := srv.Config()
	cfg.ResponseHeaderTimeout, cfg.MaxRetries = 50*time.Millisecond, -1
	_, err := ask(t, newClient(t, srv, cfg), llm.Request{})
	wantErr(t, err, "transient")
	if err != nil && !strings.Contains(err.Error(), "response-header timeout") {
		t.Errorf("error %q does not name the timeout", err)
	}
}

func TestCancelAndClose(t *testing.T) {
	tests := []struct {
		name string
		stop func(cancel context.CancelFunc, s *llm.Stream)
		want error
	}{
		{"context cancelled", func(cancel context.CancelFunc, _ *llm.Stream) { cancel() }, context.Canceled},
		{"closed from another goroutine", func(_ context.CancelFunc, s *llm.Stream) { go s.Close() }, llm.ErrClosed},
		{"closed before reading", func(_ context.CancelFunc, s *llm.Stream) { s.Close() }, llm.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(llmtest.Response{Frames: []string{textFrame}, Hang: true})
			c := newClient(t, srv, srv.Config())
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s, err := c.Stream(ctx, llm.Request{Messages: textOnly})
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			defer s.Close()
			if ev, err := s.Recv(); err != nil || ev.Text != "o" {
				t.Fatalf("first Recv = %+v, %v", ev, err)
			}
			tt.stop(cancel, s)
			var err2 error
			for err2 == nil {
				_, err2 = s.Recv()
			}
			if !errors.Is(err2, tt.want) || errors.Is(err2, llm.ErrTransient) {
				t.Errorf("Recv = %v, want %v", err2, tt.want)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestRequestRejectedLocally(t *testing.T) {
	huge := make([]byte, llm.MaxDataURIBytes*3/4+1)
	tests := []struct {
		name  string
		msgs  []llm.Message
		image bool
	}{
		{"no messages", nil, false},
		{"last from assistant", textOnly[:2], false},
		{"part with text and image", []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{Text: "x", Image: &llm.Image{MIME: "image/png", Data: jpeg}}}}}, false},
		{"message with only empty text", []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{{}, llm.TextPart("")}}}, false},
		{"not an image type", []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{llm.ImagePart("text/html", jpeg)}}}, false},
		{"unknown role", []llm.Message{{Role: "system", Parts: []llm.Part{llm.TextPart("x")}}}, false},
		{"image over the data uri limit", []llm.Message{{Role: llm.RoleUser, Parts: []llm.Part{llm.ImagePart("image/jpeg", huge)}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			c := newClient(t, srv, srv.Config())
			_, err := c.Stream(context.Background(), llm.Request{Messages: tt.msgs})
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, llm.ErrImageTooLarge); got != tt.image {
				t.Errorf("errors.Is(%v, ErrImageTooLarge) = %v, want %v", err, got, tt.image)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent, want 0", n)
			}
		})
	}
}

func TestSlowConsumerIsNotIdle(t *testing.T) {
	srv := llmtest.NewServer(t)
	// Frames bigger than the read buffer, so every Recv reads the network.
	chunk := strings.Repeat("a", 40<<10)
	big := llmtest.Answer{Text: []string{chunk, chunk, chunk}}
	srv.Enqueue(llmtest.Response{Frames: big.Native(), Hang: true})
	cfg := srv.Config()
	clock := &manualClock{}
	cfg.IdleTimeout, cfg.Clock = 20*time.Millisecond, clock
	s, err := ask(t, newClient(t, srv, cfg), llm.Request{})
	if err != nil {
		t.Fatalf("Stream: %v", err)
	}
	var answer string
	for {
		ev, err := s.Recv()
		if err != nil {
			t.Fatalf("Recv after %d bytes: %v", len(answer), err)
		}
		answer += ev.Text
		if ev.Kind == llm.EventDone {
			break
		}
		// A consumer slower than the idle timeout: the server has sent
		// everything, so the stream must not time out meanwhile.
		clock.Advance(3 * cfg.IdleTimeout)
	}
	if answer != strings.Repeat(chunk, 3) {
		t.Errorf("answer of %d bytes, want %d", len(answer), 3*len(chunk))
	}
}
