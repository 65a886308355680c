package llm_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
)

var sentinels = map[string]error{
	"rate":      llm.ErrRateLimited,
	"refused":   llm.ErrContentRefused,
	"misconfig": llm.ErrMisconfigured,
	"toolong":   llm.ErrTooLong,
	"image":     llm.ErrImageTooLarge,
	"transient": llm.ErrTransient,
}

func TestAPIErrorIs(t *testing.T) {
	tests := []struct {
		name string
		err  llm.APIError
		want []string // sentinels it matches
	}{
		{"throttling", llm.APIError{Status: 429, Code: "Throttling.RateQuota", Message: "Requests rate limit exceeded, please try again later."}, []string{"rate", "transient"}},
		{"bare 429", llm.APIError{Status: 429}, []string{"rate", "transient"}},
		{"throttling inside stream", llm.APIError{Status: 200, Code: "Throttling"}, []string{"rate", "transient"}},
		{"data inspection", llm.APIError{Status: 400, Code: "DataInspectionFailed", Message: "Input or output data may contain inappropriate content."}, []string{"refused"}},
		{"compatible data inspection", llm.APIError{Status: 400, Code: "data_inspection_failed"}, []string{"refused"}},
		{"content filter", llm.APIError{Status: 400, Code: "content_filter"}, []string{"refused"}},
		{"invalid key", llm.APIError{Status: 401, Code: "InvalidApiKey", Message: "Invalid API-key provided."}, []string{"misconfig"}},
		{"compatible invalid key", llm.APIError{Status: 401, Code: "invalid_api_key"}, []string{"misconfig"}},
		{"arrearage", llm.APIError{Status: 400, Code: "Arrearage", Message: "Access denied, please make sure your account is in good standing."}, []string{"misconfig"}},
		{"access denied", llm.APIError{Status: 403, Code: "AccessDenied.Unpurchased"}, []string{"misconfig"}},
		{"model access denied", llm.APIError{Status: 400, Code: "Model.AccessDenied"}, []string{"misconfig"}},
		{"model not found", llm.APIError{Status: 404, Code: "model_not_found"}, []string{"misconfig"}},
		{"model not exist", llm.APIError{Status: 400, Code: "InvalidParameter", Message: "Model not exist."}, []string{"misconfig"}},
		{"input too long", llm.APIError{Status: 400, Code: "InvalidParameter", Message: "Range of input length should be [1, 129024]"}, []string{"toolong"}},
		{"vllm context", llm.APIError{Status: 400, Code: "BadRequestError", Message: "This model's maximum context length is 32768 tokens."}, []string{"toolong"}},
		{"data uri", llm.APIError{Status: 400, Code: "InvalidParameter", Message: "Exceeded limit on max bytes per data-uri item : 10485760"}, []string{"image"}},
		{"413", llm.APIError{Status: 413}, []string{"image"}},
		{"image size", llm.APIError{Status: 400, Code: "InvalidParameter", Message: "The image size exceeds the limit."}, []string{"image"}},
		{"image too large", llm.APIError{Status: 400, Code: "InvalidParameter", Message: "Image too large: 20000000 bytes"}, []string{"image"}},
		{"too many images", llm.APIError{Status: 400, Code: "InvalidParameter", Message: "The number of images exceeds the limit."}, nil},
		{"image too small", llm.APIError{Status: 400, Code: "InvalidParameter", Message: "The image size is too small."}, nil},
		{"server error", llm.APIError{Status: 500, Code: "InternalError.Algo", Message: "An internal error has occured"}, []string{"transient"}},
		{"request timeout", llm.APIError{Status: 408, Code: "RequestTimeOut"}, []string{"transient"}},
		{"bad gateway", llm.APIError{Status: 502}, []string{"transient"}},
		{"plain invalid parameter", llm.APIError{Status: 400, Code: "InvalidParameter", Message: "Required parameter(s) missing or invalid"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, sentinel := range sentinels {
				want := contains(tt.want, name)
				var err error = &tt.err
				if got := errors.Is(err, sentinel); got != want {
					t.Errorf("errors.Is(%v, %s) = %v, want %v", err, name, got, want)
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestAPIErrorText(t *testing.T) {
	e := &llm.APIError{Status: 401, Code: "InvalidApiKey", Message: "Invalid API-key provided.", RequestID: "r-1"}
	want := "qwen api: status 401 InvalidApiKey: Invalid API-key provided. (request_id r-1)"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
}

// wantErr checks err against the named sentinels: it must match every one
// listed and no other, and never contain the key.
func wantErr(t *testing.T, err error, names ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", names)
	}
	for name, sentinel := range sentinels {
		if got, want := errors.Is(err, sentinel), contains(names, name); got != want {
			t.Errorf("errors.Is(%v, %s) = %v, want %v", err, name, got, want)
		}
	}
	if strings.Contains(err.Error(), "sk-") {
		t.Errorf("error text leaks a key: %v", err)
	}
}
