package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// ctxDoer sends tgbotapi's requests, which carry no context, under ctx.
type ctxDoer struct {
	ctx context.Context
	hc  *http.Client
}

// Do implements tgbotapi.HTTPClient.
func (d ctxDoer) Do(r *http.Request) (*http.Response, error) {
	return d.hc.Do(r.WithContext(d.ctx))
}

// endpointFormat is the tgbotapi endpoint format for apiURL: tgbotapi fills
// in the token and the method.
func endpointFormat(apiURL string) string {
	return strings.ReplaceAll(apiURL, "%", "%%") + "/bot%s/%s"
}

// call invokes a Bot API method under ctx (bounded by the request timeout)
// and decodes its result into out (which may be nil). Errors are scrubbed of
// the token and mapped to the bots package's typed errors.
func (b *Bot) call(ctx context.Context, method string, p tgbotapi.Params, out any) error {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.RequestTimeout)
	defer cancel()
	api := *b.api // a shallow copy whose client carries ctx
	api.Client = ctxDoer{ctx: ctx, hc: b.hc}
	resp, err := api.MakeRequest(method, p)
	if err != nil {
		return b.mapError(method, err)
	}
	if out == nil || len(resp.Result) == 0 {
		return nil
	}
	if err := json.Unmarshal(resp.Result, out); err != nil {
		return fmt.Errorf("decode %s result: %w", method, err)
	}
	return nil
}

// mapError turns an error of a Bot API call into a scrubbed, typed error.
func (b *Bot) mapError(method string, err error) error {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return apiErrorFrom(method, te)
	}
	return fmt.Errorf("telegram %s: %w", method, scrub(err, b.api.Token))
}

// addJSON sets p[key] to v encoded as JSON.
func addJSON(p tgbotapi.Params, key string, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only plain structs and maps are passed
		panic(fmt.Sprintf("telegram: encode %s: %v", key, err))
	}
	p[key] = string(b)
}
