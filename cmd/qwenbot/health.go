package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthTimeout bounds "qwenbot health" (Docker's check timeout is longer).
const healthTimeout = 5 * time.Second

// health runs "qwenbot health": it asks the local server's /readyz and
// succeeds when it answers 200. It is the image's HEALTHCHECK, since the
// distroless image has no shell or curl.
func health(ctx context.Context, opts runOptions, args []string, getenv func(string) string, stdout io.Writer) error {
	var cfgPath, target string
	fs := newFlagSet("health", &cfgPath)
	fs.StringVar(&target, "url", "", "`url` to ask (default http://127.0.0.1:PORT/readyz, PORT from http.listen)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Errorf("health: unexpected argument %q", pos[0])}
	}
	if target == "" {
		cfg, err := loadValidConfig(cfgPath, getenv, opts.environment())
		if err != nil {
			return err
		}
		if target, err = readyzURL(cfg.HTTP.Listen); err != nil {
			return usageError{fmt.Errorf("health: %w", err)}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return usageError{fmt.Errorf("health: %w", err)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(stdout, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: not ready: %s answered %s", target, resp.Status)
	}
	return nil
}

// readyzURL is the loopback URL of /readyz for the http.listen address.
func readyzURL(listen string) (string, error) {
	if listen == "" {
		return "", errors.New("http.listen is empty: the operator endpoint is off")
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("http.listen %q: %w", listen, err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}
