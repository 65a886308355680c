package dctest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway close codes the fake sends.
const (
	// CloseAuthenticationFailed is sent for an IDENTIFY with a wrong token.
	CloseAuthenticationFailed = 4004
	// CloseDisallowedIntents is sent for an IDENTIFY asking for privileged
	// intents the application has not enabled.
	CloseDisallowedIntents = 4014
)

// privilegedIntents are the intents an application must enable in the
// Developer Portal: guild members, presences, message content.
const privilegedIntents = discordgo.IntentsGuildMembers | discordgo.IntentsGuildPresences | discordgo.IntentsMessageContent

// DefaultHeartbeatInterval is the heartbeat interval HELLO announces, in
// milliseconds (Discord's usual value): long enough that a client sends
// only its first heartbeat during a test.
const DefaultHeartbeatInterval = 41250

// Gateway is a fake Discord gateway (v10, also accepting v9 as discordgo
// v0.29 asks for; JSON encoding, no compression)
// on loopback, found by clients through GET /gateway and /gateway/bot of
// the REST fake it belongs to. It says HELLO, answers heartbeats, checks
// IDENTIFY's token and intents (closing with 4004 or 4014), sends READY,
// resumes a session replaying the events the client missed (or answers
// INVALID_SESSION), and dispatches the events a test gives it. Create it
// with NewGateway; it closes when the test ends. Its methods are safe for
// concurrent use.
type Gateway struct {
	rest *Server
	srv  *httptest.Server
	up   websocket.Upgrader

	mu         sync.Mutex
	interval   int
	privileged discordgo.Intent // the privileged intents enabled
	token      string           // the token IDENTIFY must carry
	conn       *gwConn          // the identified or resumed connection
	sessionID  string
	seq        int64
	events     []dispatch    // of the session, for resuming
	invalid    bool          // refuse the next RESUME
	holdResume chan struct{} // answer the next RESUME once closed
	refuse     int           // connections to refuse with 503
	identifies []Identify
	resumes    []Resume
	beats      int
	conns      int
}

// Identify is an IDENTIFY the fake received.
type Identify struct {
	Token   string
	Intents discordgo.Intent
}

// Resume is a RESUME the fake received.
type Resume struct {
	SessionID string
	Seq       int64
}

// dispatch is one event of a session.
type dispatch struct {
	seq   int64
	event string
	data  json.RawMessage
}

// NewGateway starts a fake gateway for rest, which from now on points
// clients at it. Message Content is enabled; see SetPrivileged.
func NewGateway(rest *Server) *Gateway {
	g := &Gateway{rest: rest, interval: DefaultHeartbeatInterval, privileged: discordgo.IntentsMessageContent, token: Token,
		up: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	rest.tb.Cleanup(g.srv.Close)
	rest.mu.Lock()
	rest.gatewayURL = "ws" + strings.TrimPrefix(g.srv.URL, "http") + "/"
	rest.mu.Unlock()
	return g
}

// SetPrivileged sets the privileged intents the application has enabled
// (the default is Message Content only); an IDENTIFY asking for others is
// closed with 4014.
func (g *Gateway) SetPrivileged(in discordgo.Intent) {
	g.mu.Lock()
	g.privileged = in
	g.mu.Unlock()
}

// SetToken sets the bot token the gateway accepts (default Token, as the
// REST fake): another one makes IDENTIFY fail with 4004, as after the
// token was reset.
func (g *Gateway) SetToken(token string) {
	g.mu.Lock()
	g.token = token
	g.mu.Unlock()
}

// Dispatch sends event t with data to the connected client as the next
// event of the session; while no client is connected it is kept, and sent
// when the client resumes.
func (g *Gateway) Dispatch(t string, data any) {
	raw, err := json.Marshal(data)
	if err != nil {
		g.rest.tb.Fatalf("dctest: encode %s: %v", t, err)
	}
	g.dispatchRaw(t, raw)
}

// MessageCreate dispatches MESSAGE_CREATE of m.
func (g *Gateway) MessageCreate(m *discordgo.Message) { g.Dispatch("MESSAGE_CREATE", m) }

// InteractionCreate dispatches INTERACTION_CREATE of i.
func (g *Gateway) InteractionCreate(i *discordgo.Interaction) {
	raw, err := MarshalInteraction(i)
	if err != nil {
		g.rest.tb.Fatalf("dctest: encode interaction: %v", err)
	}
	g.dispatchRaw("INTERACTION_CREATE", raw)
}

// dispatchRaw records and sends one dispatch.
func (g *Gateway) dispatchRaw(t string, raw json.RawMessage) {
	g.mu.Lock()
	g.seq++
	d := dispatch{seq: g.seq, event: t, data: raw}
	g.events = append(g.events, d)
	if g.conn != nil {
		g.conn.send(d.frame())
	}
	g.mu.Unlock()
	g.rest.notify()
}

// Drop cuts the client's connection without a close frame, as a network
// failure does; the session stays resumable.
func (g *Gateway) Drop() {
	g.mu.Lock()
	c := g.conn
	g.conn = nil
	g.mu.Unlock()
	if c != nil {
		_ = c.ws.UnderlyingConn().Close()
	}
	g.rest.notify()
}

// HoldResume makes the fake answer the next RESUME only once release is
// closed (the RESUME itself is recorded at once), so a test can look at
// the client while it waits to be resumed.
func (g *Gateway) HoldResume(release chan struct{}) {
	g.mu.Lock()
	g.holdResume = release
	g.mu.Unlock()
}

// RefuseConnections answers the next n websocket handshakes with 503, as
// an overloaded or unreachable gateway would fail them.
func (g *Gateway) RefuseConnections(n int) {
	g.mu.Lock()
	g.refuse = n
	g.mu.Unlock()
}

// InvalidateSession ends the session: the next RESUME fails with
// INVALID_SESSION (not resumable), so the client must identify again.
func (g *Gateway) InvalidateSession() {
	g.mu.Lock()
	g.invalid = true
	g.mu.Unlock()
}

// Connected reports whether a client is identified or resumed.
func (g *Gateway) Connected() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.conn != nil
}

// Identifies returns the IDENTIFYs received, in order.
func (g *Gateway) Identifies() []Identify {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Identify(nil), g.identifies...)
}

// Resumes returns the RESUMEs received, in order.
func (g *Gateway) Resumes() []Resume {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Resume(nil), g.resumes...)
}

// Heartbeats returns how many heartbeats were received.
func (g *Gateway) Heartbeats() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.beats
}

// Connections returns how many websocket connections were opened.
func (g *Gateway) Connections() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.conns
}

// gateway answers GET /gateway and /gateway/bot with the fake gateway's
// URL.
func (s *Server) gateway(w http.ResponseWriter, _ Request, _ []string) {
	s.mu.Lock()
	u := s.gatewayURL
	s.mu.Unlock()
	if u == "" {
		s.errorf("GET /gateway without a fake gateway (dctest.NewGateway)")
		apiError(w, http.StatusNotFound, 0, "404: Not Found")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"url": u, "shards": 1})
}

// notify wakes WaitFor.
func (s *Server) notify() {
	s.mu.Lock()
	s.notifyLocked()
	s.mu.Unlock()
}
