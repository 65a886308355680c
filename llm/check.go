package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// ErrKeyUnchecked is returned by CheckKey when no free request can prove
// the key: DashScope's native protocol has none (every call generates
// tokens), and some OpenAI-compatible servers have no /models.
var ErrKeyUnchecked = errors.New("llm: no free request proves the api key")

// CheckKey proves the API key and base URL without spending tokens, where
// the protocol allows: an OpenAI-compatible server answers GET
// {BaseURL}/models. A rejected key is an *APIError matching
// ErrMisconfigured; an unreachable server matches ErrTransient; for the
// native protocol, and for a server without /models, it returns
// ErrKeyUnchecked. It is safe for concurrent use.
func (c *Client) CheckKey(ctx context.Context) error {
	if c.cfg.Protocol != ProtocolOpenAI {
		return ErrKeyUnchecked
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.BaseURL+"/models", nil)
	if err != nil {
		return fmt.Errorf("check key: %w", err)
	}
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return transient("check key", errors.New(scrub(err.Error(), c.cfg.APIKey)))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		return nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return ErrKeyUnchecked
	}
	e, err := readErrorResponse(resp)
	if err != nil {
		return transient("check key", err)
	}
	e.Message = scrub(e.Message, c.cfg.APIKey)
	return e
}

// BaseURL returns the base URL the client sends its requests to, for
// messages that say which endpoint (and so which region) was asked.
func (c *Client) BaseURL() string { return c.cfg.BaseURL }
