package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Webhook server limits.
const (
	maxUpdateBytes  = 1 << 20
	seenTTL         = 24 * time.Hour
	shutdownTimeout = 5 * time.Second
)

// secretHeader carries Config.WebhookSecret on every webhook request.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// serveWebhook serves the webhook until ctx is done, registering it with
// setWebhook once the server listens.
func (b *Bot) serveWebhook(ctx context.Context) error {
	path, err := webhookPath(b.cfg.WebhookURL)
	if err != nil {
		return err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", b.cfg.WebhookListen)
	if err != nil {
		return fmt.Errorf("listen for webhook: %w", err)
	}
	b.mu.Lock()
	b.webhookAddr = ln.Addr().String()
	b.mu.Unlock()
	mux := http.NewServeMux()
	mux.Handle(path, b.webhookHandler(ctx))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	err = b.setWebhook(ctx)
	if err == nil {
		b.ready.Store(true)
		select {
		case <-ctx.Done():
		case err = <-served:
			err = fmt.Errorf("serve webhook: %w", err)
		}
	}
	b.ready.Store(false)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil {
		b.log.Warn("webhook server shutdown", "err", serr)
	}
	<-served
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// webhookPath is the path of the webhook URL ("/" when it has none).
func webhookPath(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("parse webhook url: %w", err)
	}
	if u.Path == "" {
		return "/", nil
	}
	return u.Path, nil
}

// WebhookAddr returns the address the webhook server listens on, or "" when
// it does not listen (yet).
func (b *Bot) WebhookAddr() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.webhookAddr
}

// setWebhook registers the webhook, retrying transient failures until ctx
// is done.
func (b *Bot) setWebhook(ctx context.Context) error {
	p := tgbotapi.Params{
		"url":                  b.cfg.WebhookURL,
		"secret_token":         b.cfg.WebhookSecret,
		"drop_pending_updates": "false",
	}
	addJSON(p, "allowed_updates", allowedUpdates())
	for n := 1; ; n++ {
		err := b.call(ctx, "setWebhook", p, nil)
		var ae *apiError
		switch {
		case err == nil || ctx.Err() != nil:
			return nil
		case errors.As(err, &ae) && ae.Code != 429 && ae.Code < 500:
			return fmt.Errorf("set webhook: %w", err)
		}
		wait := backoff(err, n)
		b.log.WarnContext(ctx, "set webhook failed", "err", err, "retry_in", wait)
		select {
		case <-b.cfg.Clock.After(wait):
		case <-ctx.Done():
			return nil
		}
	}
}

// webhookHandler accepts updates posted by Telegram: it checks the secret
// token, drops updates already delivered, answers at once and handles the
// update in the background under ctx. Once Drain was called it refuses
// every update with 503, so that Telegram delivers it again later.
func (b *Bot) webhookHandler(ctx context.Context) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if b.draining.Load() {
			// Telegram redelivers an update it got no 2xx for: to another
			// replica, or to this one once it has restarted.
			w.Header().Set("Retry-After", "5")
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		got := r.Header.Get(secretHeader)
		if subtle.ConstantTimeCompare([]byte(got), []byte(b.cfg.WebhookSecret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxUpdateBytes))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		ups, _, bad := decodeUpdates([]json.RawMessage{raw})
		for _, err := range bad {
			b.log.WarnContext(r.Context(), "skipped an update that could not be decoded", "err", err)
		}
		for _, u := range ups {
			if !b.firstDelivery(r.Context(), u.UpdateID) {
				continue
			}
			if en, ok := b.record(r.Context(), u); ok {
				b.dispatch(ctx, u, en)
			}
		}
		w.WriteHeader(http.StatusOK)
	})
}

// firstDelivery reports whether an update id is new: not in the recent ids
// of this process nor, when shared, of other replicas. If the shared store
// fails the update is handled.
func (b *Bot) firstDelivery(ctx context.Context, id int) bool {
	if !b.updates.Add(id) {
		return false
	}
	if b.seen == nil {
		return true
	}
	key := "tg:update:" + strconv.FormatInt(b.id.ID, 10) + ":" + strconv.Itoa(id)
	first, err := b.seen.Seen(ctx, key, seenTTL)
	if err != nil {
		b.log.WarnContext(ctx, "shared update de-duplication failed", "err", err)
		return true
	}
	return first
}
