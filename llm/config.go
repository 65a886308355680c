package llm

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Protocol selects the wire protocol.
type Protocol string

// Protocols.
const (
	// ProtocolDashScope is DashScope's native API (the default).
	ProtocolDashScope Protocol = "dashscope"
	// ProtocolOpenAI is the OpenAI-compatible /chat/completions API.
	ProtocolOpenAI Protocol = "openai"
)

// Ways to switch thinking in the OpenAI-compatible protocol.
const (
	// ThinkingParamEnable sends top-level "enable_thinking" and
	// "thinking_budget" (DashScope compatible mode; the default).
	ThinkingParamEnable = "enable_thinking"
	// ThinkingParamTemplate sends "chat_template_kwargs":
	// {"enable_thinking": …} (vLLM, SGLang).
	ThinkingParamTemplate = "chat_template_kwargs"
	// ThinkingParamNone sends no thinking switch.
	ThinkingParamNone = "none"
)

// Default endpoints.
const (
	DefaultBaseURL       = "https://dashscope.aliyuncs.com"
	DefaultOpenAIBaseURL = "https://dashscope.aliyuncs.com/compatible-mode/v1"
	DefaultModel         = "qwen3-vl-plus"
)

// Config configures a Client. Zero values take the documented defaults.
type Config struct {
	// Protocol is ProtocolDashScope (default) or ProtocolOpenAI.
	Protocol Protocol
	// BaseURL: native default DefaultBaseURL (Singapore:
	// "https://dashscope-intl.aliyuncs.com"; a trailing "/api/v1" is
	// accepted). OpenAI default DefaultOpenAIBaseURL, or e.g.
	// "http://localhost:8000/v1".
	BaseURL string
	// APIKey is sent as a bearer token. Required for the native protocol;
	// optional for OpenAI-compatible servers that need none.
	APIKey string
	// Model is the default model (default DefaultModel).
	Model string
	// TextModel, when set, takes requests with Model "" and no image in
	// any message.
	TextModel string
	// ThinkingParam is how the OpenAI protocol switches thinking:
	// ThinkingParamEnable (default), ThinkingParamTemplate or
	// ThinkingParamNone. Ignored by the native protocol.
	ThinkingParam string
	// ResponseHeaderTimeout bounds the wait for response headers (default
	// 30s).
	ResponseHeaderTimeout time.Duration
	// IdleTimeout bounds how long Recv waits for the server to send more
	// of the stream (default 60s); time the caller spends between Recv
	// calls does not count.
	IdleTimeout time.Duration
	// MaxRetries is how many times a transient failure is retried while no
	// text has been returned (default 3; negative disables retries).
	MaxRetries int
	// RetryBaseDelay is the first backoff delay, doubled per retry, with
	// jitter (default 500ms).
	RetryBaseDelay time.Duration
	// Models overrides or extends the capability table, keyed by exact model
	// name or by a prefix ending in "*".
	Models map[string]ModelInfo
	// Clock times backoff waits (default: the system clock).
	Clock Clock
}

// Clock makes timers. bots.Clock satisfies it.
type Clock interface {
	// After returns a channel that receives the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

type systemClock struct{}

func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Client streams answers from a Qwen model. It is safe for concurrent use.
type Client struct {
	cfg    Config
	hc     *http.Client
	log    *slog.Logger
	models modelTable
	warned sync.Map // lower-case model names already warned about (modelwarn.go)
}

// New validates cfg, fills in defaults and returns a Client that sends its
// requests through hc (nil: http.DefaultClient) and logs to log (nil:
// slog.Default(); the caller scopes it, e.g. with "component"="llm"). hc
// must not set Timeout: it would cut long answers. A configured Model or
// TextModel the capability table does not know is logged as a warning
// naming the client's assumptions (ModelInfo.Assumptions).
func New(cfg Config, hc *http.Client, log *slog.Logger) (*Client, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	if log == nil {
		log = slog.Default()
	}
	cfg = withDefaults(cfg)
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("llm config: %w", err)
	}
	if hc.Timeout != 0 {
		log.Warn("http client has a Timeout; it also bounds reading the stream and can cut long answers",
			"timeout", hc.Timeout)
	}
	c := &Client{cfg: cfg, hc: hc, log: log, models: newModelTable(cfg.Models)}
	c.lookup(cfg.Model)
	if cfg.TextModel != "" {
		c.lookup(cfg.TextModel)
	}
	return c, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Protocol == "" {
		cfg.Protocol = ProtocolDashScope
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
		if cfg.Protocol == ProtocolOpenAI {
			cfg.BaseURL = DefaultOpenAIBaseURL
		}
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Protocol == ProtocolDashScope {
		cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "/api/v1")
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.ThinkingParam == "" {
		cfg.ThinkingParam = ThinkingParamEnable
	}
	if cfg.ResponseHeaderTimeout == 0 {
		cfg.ResponseHeaderTimeout = 30 * time.Second
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 60 * time.Second
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = 3
	}
	if cfg.RetryBaseDelay == 0 {
		cfg.RetryBaseDelay = 500 * time.Millisecond
	}
	if cfg.Clock == nil {
		cfg.Clock = systemClock{}
	}
	return cfg
}

func (cfg Config) validate() error {
	var errs []error
	switch cfg.Protocol {
	case ProtocolDashScope:
		if cfg.APIKey == "" {
			errs = append(errs, errors.New("api key is required for the dashscope protocol"))
		}
	case ProtocolOpenAI:
	default:
		errs = append(errs, fmt.Errorf("unknown protocol %q (want %q or %q)", cfg.Protocol, ProtocolDashScope, ProtocolOpenAI))
	}
	if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("base url %q is not an http(s) URL", cfg.BaseURL))
	}
	switch cfg.ThinkingParam {
	case ThinkingParamEnable, ThinkingParamTemplate, ThinkingParamNone:
	default:
		errs = append(errs, fmt.Errorf("unknown thinking param %q", cfg.ThinkingParam))
	}
	if cfg.ResponseHeaderTimeout < 0 || cfg.IdleTimeout < 0 || cfg.RetryBaseDelay < 0 {
		errs = append(errs, errors.New("negative timeout or retry delay"))
	}
	for k := range cfg.Models {
		if p := strings.TrimSuffix(k, "*"); p == "" || strings.Contains(p, "*") {
			errs = append(errs, fmt.Errorf("model key %q: want a name or a prefix ending in *", k))
		}
	}
	return errors.Join(errs...)
}

// Model returns the capabilities of the named model ("" = Config.Model).
// The first time it meets a model the table does not know, it logs a
// warning naming the assumptions.
func (c *Client) Model(name string) ModelInfo {
	if name == "" {
		name = c.cfg.Model
	}
	return c.lookup(name)
}

// DefaultModel returns Config.Model after defaults.
func (c *Client) DefaultModel() string { return c.cfg.Model }

// resolve picks the model for req: req.Model, else TextModel for image-free
// requests, else Config.Model. A model without vision given images falls
// back to Config.Model when that one has vision.
func (c *Client) resolve(req *Request) ModelInfo {
	withImages := hasImage(req.Messages)
	name := req.Model
	if name == "" {
		name = c.cfg.Model
		if c.cfg.TextModel != "" && !withImages {
			name = c.cfg.TextModel
		}
	}
	info := c.lookup(name)
	if withImages && !info.Vision {
		if def := c.lookup(c.cfg.Model); def.Vision {
			return def
		}
	}
	return info
}
