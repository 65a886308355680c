package llm

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	base := 500 * time.Millisecond
	tests := []struct {
		name     string
		n        int
		cause    error
		min, max time.Duration
		ok       bool
	}{
		{"first retry", 0, ErrTransient, 250 * time.Millisecond, 500 * time.Millisecond, true},
		{"third retry doubles twice", 2, ErrTransient, time.Second, 2 * time.Second, true},
		{"capped", 20, ErrTransient, maxBackoff / 2, maxBackoff, true},
		{"retry-after wins", 0, &APIError{Status: 429, RetryAfter: 3 * time.Second}, 3 * time.Second, 3 * time.Second, true},
		{"retry-after too long", 0, &APIError{Status: 429, RetryAfter: time.Hour}, time.Hour, time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 50 {
				d, ok := backoff(base, tt.n, tt.cause)
				if ok != tt.ok || d < tt.min || d > tt.max {
					t.Fatalf("backoff = %v, %v; want [%v, %v], %v", d, ok, tt.min, tt.max, tt.ok)
				}
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"12", 12 * time.Second},
		{"-3", 0},
		{"soon", 0},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := parseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"throttled", &APIError{Status: 429, Code: "Throttling"}, true},
		{"server error", &APIError{Status: 503}, true},
		{"network", transient("read stream", errors.New("connection reset")), true},
		{"refused", &APIError{Status: 400, Code: "DataInspectionFailed"}, false},
		{"bad key", &APIError{Status: 401, Code: "InvalidApiKey"}, false},
		{"too long, even if 500", &APIError{Status: 500, Message: "Range of input length should be [1, 30720]"}, false},
		{"plain", errors.New("x"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryable(tt.err); got != tt.want {
				t.Errorf("retryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
