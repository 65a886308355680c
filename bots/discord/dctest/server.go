// Package dctest is a fake Discord REST API, CDN, interaction signer and
// gateway for tests of the Discord adapter and of end-to-end runs of
// qwenbot. It serves on loopback through httptest, keeps the messages it
// was asked to send or edit, records every request, and can answer chosen
// requests with errors (429 with retry_after, expired interaction tokens,
// …) or hold them until a test releases them. Its gateway (NewGateway) is
// a websocket server speaking gateway v10 JSON to a real discordgo
// session. It imports nothing from this module.
package dctest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Fixed identities of the fake.
const (
	// Token is the bot token the fake accepts ("Bot " + Token).
	Token = "dctest-bot-token"
	// AppID is the application id, also returned for /applications/@me.
	AppID = "100"
	// BotID is the bot's user id.
	BotID = "101"
)

// Request is one request the fake received.
type Request struct {
	Method string
	// Path is the URL path without the "/api/vN" prefix.
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}

// Server is a fake Discord. Create it with New; it closes when the test
// ends. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server
	tb  testing.TB

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change
	nextID    int64
	reqs      []Request
	msgs      []*Message
	callbacks []Callback
	overwrite []Overwrite
	downloads []string
	typing    map[string]int
	files     map[string]file
	faults    []*Fault
	expired   map[string]bool
	originals map[string]*Message           // by interaction token
	userMsgs  map[string]*discordgo.Message // by id, from UserMessage
	// gatewayURL is the fake gateway's, once NewGateway started it.
	gatewayURL string
	signer     signer
}

// file is an attachment served by the fake CDN.
type file struct {
	contentType string
	data        []byte
}

// New starts a fake Discord on loopback, closed by tb.Cleanup.
func New(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{
		tb: tb, changed: make(chan struct{}), nextID: 1000,
		typing: map[string]int{}, files: map[string]file{},
		expired: map[string]bool{}, originals: map[string]*Message{}, userMsgs: map[string]*discordgo.Message{},
		signer: newSigner(tb),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.srv.Close)
	return s
}

// URL is the fake's base URL.
func (s *Server) URL() string { return s.srv.URL }

// APIURL is the REST base to configure the adapter with.
func (s *Server) APIURL() string { return s.srv.URL + "/api/v10" }

// Client returns an HTTP client for the fake: requests to discord.com and
// Discord's CDN hosts are sent to the fake instead, everything else as
// usual (tests only use loopback).
func (s *Server) Client() *http.Client {
	u, _ := url.Parse(s.srv.URL)
	return &http.Client{Transport: &redirect{next: s.srv.Client().Transport, to: u}}
}

// redirect swaps the scheme and host of requests for Discord's hosts.
type redirect struct {
	next http.RoundTripper
	to   *url.URL
}

// discordHosts are the hosts redirect sends to the fake.
var discordHosts = map[string]bool{
	"discord.com": true, "cdn.discordapp.com": true, "media.discordapp.net": true,
}

// RoundTrip implements http.RoundTripper.
func (r *redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	if !discordHosts[req.URL.Hostname()] {
		return r.next.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.to.Scheme, r.to.Host, r.to.Host
	return r.next.RoundTrip(out)
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// WaitFor blocks until cond reports true, re-checking after every request
// and change the fake sees; it fails the test after 30 seconds (only a
// failing test waits that long, so the bound is generous for a slow, busy
// machine). cond must not block; it may call the Server's methods.
func (s *Server) WaitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			tb.Fatalf("dctest: timed out waiting for %s", what)
		}
	}
}

// notifyLocked wakes WaitFor. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// newIDLocked returns a fresh snowflake-like id. s.mu must be held.
func (s *Server) newIDLocked() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

// apiPrefix matches the API version prefix of REST paths.
var apiPrefix = regexp.MustCompile(`^/api/v\d+`)

// serve records the request, applies faults, then routes it.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	req := Request{Method: r.Method, Path: apiPrefix.ReplaceAllString(r.URL.Path, ""),
		Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	f := s.faultLocked(req)
	s.notifyLocked()
	s.mu.Unlock()
	if f != nil && f.apply(w, r) {
		return
	}
	s.route(w, req)
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// apiError answers with a Discord JSON error.
func apiError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg, "code": code})
}

// errorf fails the test from the server goroutine.
func (s *Server) errorf(format string, a ...any) {
	s.tb.Errorf("dctest: "+format, a...)
}

// String describes the server for failure messages.
func (s *Server) String() string { return fmt.Sprintf("dctest.Server(%s)", s.srv.URL) }
