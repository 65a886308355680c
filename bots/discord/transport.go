package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// defaultAPIURL is the REST base discordgo builds its request URLs on.
func defaultAPIURL() string {
	return strings.TrimSuffix(discordgo.EndpointAPI, "/")
}

// rewriteTransport sends requests whose URL starts with from to the same
// path under to, so a reverse proxy (or a test server) can stand in for
// Discord's REST API without touching discordgo's endpoint variables.
type rewriteTransport struct {
	next http.RoundTripper
	from string
	to   *url.URL
}

// newRewriteTransport returns next wrapped so that URLs under from go to
// base instead. It returns next itself when base is empty or equal to from.
func newRewriteTransport(next http.RoundTripper, from, base string) (http.RoundTripper, error) {
	if next == nil {
		next = http.DefaultTransport
	}
	base = strings.TrimSuffix(base, "/")
	if base == "" || base == from {
		return next, nil
	}
	to, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("parse api url: %w", err)
	}
	if to.Scheme != "http" && to.Scheme != "https" || to.Host == "" {
		return nil, fmt.Errorf("parse api url %q: want an absolute http(s) URL", base)
	}
	return &rewriteTransport{next: next, from: from, to: to}, nil
}

// RoundTrip implements http.RoundTripper.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rest, ok := strings.CutPrefix(req.URL.String(), t.from)
	if !ok || rest != "" && rest[0] != '/' && rest[0] != '?' {
		return t.next.RoundTrip(req)
	}
	u, err := url.Parse(t.to.String() + rest)
	if err != nil {
		return nil, fmt.Errorf("rewrite %s: %w", req.URL.Path, err)
	}
	r := req.Clone(req.Context())
	r.URL = u
	r.Host = u.Host
	return t.next.RoundTrip(r)
}

// restClient returns a copy of hc whose transport sends discordgo's REST
// requests to apiURL.
func restClient(hc *http.Client, apiURL string) (*http.Client, error) {
	rt, err := newRewriteTransport(hc.Transport, defaultAPIURL(), apiURL)
	if err != nil {
		return nil, err
	}
	c := *hc
	c.Transport = rt
	return &c, nil
}
