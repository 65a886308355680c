package discord

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
)

// restError builds a discordgo REST error as RequestWithLockedBucket does.
func restError(status int, body string, header http.Header) error {
	req, _ := http.NewRequest(http.MethodPatch, "https://discord.com/api/v9/x", nil)
	resp := &http.Response{StatusCode: status, Status: http.StatusText(status), Header: header}
	e := &discordgo.RESTError{Request: req, Response: resp, ResponseBody: []byte(body)}
	var msg discordgo.APIErrorMessage
	if err := discordgo.Unmarshal([]byte(body), &msg); err == nil {
		e.Message = &msg
	}
	return e
}

func TestClassify(t *testing.T) {
	rl := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
		TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 2500 * time.Millisecond}, URL: "u"}}
	tests := []struct {
		name    string
		err     error
		webhook bool
		want    error
		after   time.Duration
	}{
		{"rate limit error", rl, false, nil, 2500 * time.Millisecond},
		{"429 body", restError(429, `{"retry_after":0.25}`, nil), false, nil, 250 * time.Millisecond},
		{"429 header", restError(429, `oops`, http.Header{"Retry-After": {"3"}}), false, nil, 3 * time.Second},
		{"429 bare", restError(429, ``, http.Header{}), false, nil, time.Second},
		{"too long", restError(400, `{"code":50035,"message":"Invalid Form Body","errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"}]}}}`, nil), false, bots.ErrTooLong, 0},
		{"other form error", restError(400, `{"code":50035,"message":"Invalid Form Body","errors":{"x":{"_errors":[{"code":"BASE_TYPE_REQUIRED"}]}}}`, nil), false, nil, 0},
		{"unknown message", restError(404, `{"code":10008,"message":"Unknown Message"}`, nil), false, bots.ErrGone, 0},
		{"unknown message on webhook", restError(404, `{"code":10008,"message":"Unknown Message"}`, nil), true, bots.ErrGone, 0},
		{"invalid webhook token", restError(401, `{"code":50027,"message":"Invalid Webhook Token"}`, nil), true, errTokenExpired, 0},
		{"unknown webhook", restError(404, `{"code":10015,"message":"Unknown Webhook"}`, nil), true, errTokenExpired, 0},
		{"401 on webhook", restError(401, `{"code":0,"message":"401: Unauthorized"}`, nil), true, errTokenExpired, 0},
		{"401 on channel", restError(401, `{"code":0,"message":"401: Unauthorized"}`, nil), false, nil, 0},
		{"network", errors.New("connection refused"), false, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(tt.err, tt.webhook)
			var ra *bots.RetryAfterError
			isRA := errors.As(got, &ra)
			switch {
			case tt.after > 0:
				if !isRA || ra.After != tt.after {
					t.Errorf("classify = %v, want retry after %s", got, tt.after)
				}
			case isRA:
				t.Errorf("classify = %v, want no retry", got)
			case tt.want != nil && !errors.Is(got, tt.want):
				t.Errorf("classify = %v, want %v", got, tt.want)
			case tt.want == nil && (errors.Is(got, bots.ErrGone) || errors.Is(got, bots.ErrTooLong)):
				t.Errorf("classify = %v, want it unchanged", got)
			}
			if !errors.Is(got, tt.err) {
				t.Errorf("classify lost the original error: %v", got)
			}
		})
	}
}

func TestScrubHidesSecretKeepsChain(t *testing.T) {
	inner := restError(404, `{"code":10015}`, nil)
	err := scrub(errors.Join(errors.New("PATCH /webhooks/1/secret-token/messages/@original"), inner), "secret-token")
	if strings.Contains(err.Error(), "secret-token") {
		t.Errorf("error shows the secret: %v", err)
	}
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Error("chain lost")
	}
	if scrub(nil, "x") != nil {
		t.Error("scrub(nil) != nil")
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ name, in string }{
		{"prefixed", "identify {\"token\":\"Bot abc.def.ghi\"}"},
		{"bare token", "token MTA1NjE4OTk5NzE2NDg5ODMwNA.GbKz1e.dFt3pWq8xY2zA4bC6dE8fG0hI2jK4lM6nO8pQ0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redact(tt.in)
			if strings.Contains(got, "abc.def") || strings.Contains(got, "GbKz1e") {
				t.Errorf("redact(%q) = %q", tt.in, got)
			}
		})
	}
	if got := redact("gateway connected"); got != "gateway connected" {
		t.Errorf("redact changed a clean line: %q", got)
	}
}

func TestSDKLoggerScrubsAndMapsLevels(t *testing.T) {
	var buf strings.Builder
	log := slogTo(&buf)
	f := sdkLogger(log)
	f(discordgo.LogError, 1, "websocket error with %s", "Bot abc.def.ghi")
	f(discordgo.LogInformational, 1, "heartbeat")
	got := buf.String()
	if strings.Contains(got, "abc.def.ghi") {
		t.Errorf("token logged: %s", got)
	}
	if !strings.Contains(got, "level=WARN msg=\"websocket error with <redacted>\"") ||
		!strings.Contains(got, "level=DEBUG msg=heartbeat") {
		t.Errorf("log = %s", got)
	}
}
