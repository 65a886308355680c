package dctest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway opcodes.
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opResume         = 6
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
)

// payload is a gateway message.
type payload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

// frame is d as a dispatch payload.
func (d dispatch) frame() payload {
	s := d.seq
	return payload{Op: opDispatch, D: d.data, S: &s, T: d.event}
}

// gwConn is one client connection; writes are serialised.
type gwConn struct {
	ws *websocket.Conn
	mu sync.Mutex
}

// send writes p, ignoring a connection already gone.
func (c *gwConn) send(p payload) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.ws.WriteJSON(p)
}

// close sends a close frame with code and reason, then closes.
func (c *gwConn) close(code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	_ = c.ws.Close()
}

// raw encodes v for a payload's d.
func raw(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// serve runs one websocket connection: HELLO, then the client's messages
// until it goes away.
func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	// discordgo v0.29 asks for v=9 (its APIVersion); the events the fake
	// sends are the same in v9 and v10.
	if v := r.URL.Query().Get("v"); v != "" && v != "10" && v != "9" {
		http.Error(w, "unsupported gateway version "+v, http.StatusBadRequest)
		return
	}
	g.mu.Lock()
	refuse := g.refuse > 0
	if refuse {
		g.refuse--
	}
	g.mu.Unlock()
	if refuse {
		g.rest.notify()
		http.Error(w, "gateway unavailable", http.StatusServiceUnavailable)
		return
	}
	ws, err := g.up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	defer func() {
		g.mu.Lock()
		if g.conn == c {
			g.conn = nil
		}
		g.mu.Unlock()
		_ = ws.Close()
		g.rest.notify()
	}()
	g.mu.Lock()
	g.conns++
	interval := g.interval
	g.mu.Unlock()
	c.send(payload{Op: opHello, D: raw(map[string]int{"heartbeat_interval": interval})})
	for {
		var p payload
		if err := ws.ReadJSON(&p); err != nil {
			return
		}
		if !g.handle(c, p) {
			return
		}
	}
}

// handle answers one client message and reports whether the connection
// stays open.
func (g *Gateway) handle(c *gwConn, p payload) bool {
	switch p.Op {
	case opHeartbeat:
		g.mu.Lock()
		g.beats++
		g.mu.Unlock()
		c.send(payload{Op: opHeartbeatACK})
		g.rest.notify()
	case opIdentify:
		return g.identify(c, p.D)
	case opResume:
		return g.resume(c, p.D)
	}
	return true
}

// identify checks the token and intents, starts a new session and sends
// READY, or closes with 4004 or 4014.
func (g *Gateway) identify(c *gwConn, d json.RawMessage) bool {
	var id struct {
		Token   string           `json:"token"`
		Intents discordgo.Intent `json:"intents"`
	}
	_ = json.Unmarshal(d, &id)
	g.mu.Lock()
	g.identifies = append(g.identifies, Identify{Token: id.Token, Intents: id.Intents})
	privileged, token := g.privileged, g.token
	g.mu.Unlock()
	g.rest.notify()
	if strings.TrimPrefix(id.Token, "Bot ") != token {
		c.close(CloseAuthenticationFailed, "Authentication failed.")
		return false
	}
	if id.Intents&privilegedIntents&^privileged != 0 {
		c.close(CloseDisallowedIntents, "Disallowed intent(s).")
		return false
	}
	g.mu.Lock()
	g.sessionID = "session-" + strconv.Itoa(len(g.identifies))
	g.seq, g.events, g.invalid = 0, nil, false
	ready := map[string]any{
		"v": 10, "session_id": g.sessionID, "resume_gateway_url": "ws" + strings.TrimPrefix(g.srv.URL, "http"),
		"user":        map[string]any{"id": BotID, "username": "qwenbot", "bot": true},
		"application": map[string]any{"id": AppID}, "guilds": []any{},
	}
	g.mu.Unlock()
	g.start(c, "READY", ready, 0)
	return true
}

// resume replays the events after the client's sequence number and sends
// RESUMED, INVALID_SESSION when the session cannot be resumed, or closes
// with 4004 for a wrong token. It reports whether the connection stays
// open.
func (g *Gateway) resume(c *gwConn, d json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	_ = json.Unmarshal(d, &r)
	g.mu.Lock()
	g.resumes = append(g.resumes, Resume{SessionID: r.SessionID, Seq: r.Seq})
	tokenOK := strings.TrimPrefix(r.Token, "Bot ") == g.token
	if g.invalid {
		g.sessionID, g.invalid = "", false
	}
	ok := r.SessionID != "" && r.SessionID == g.sessionID
	hold := g.holdResume
	g.holdResume = nil
	g.mu.Unlock()
	g.rest.notify()
	if hold != nil {
		<-hold
	}
	switch {
	case !tokenOK:
		c.close(CloseAuthenticationFailed, "Authentication failed.")
		return false
	case !ok:
		c.send(payload{Op: opInvalidSession, D: raw(false)})
		return true
	}
	g.start(c, "RESUMED", map[string]any{}, r.Seq)
	return true
}

// start makes c the session's connection: it sends the events after
// after (missed while disconnected; none for READY), then first as the
// next event, holding the lock so no dispatch slips in between.
func (g *Gateway) start(c *gwConn, first string, data any, after int64) {
	g.mu.Lock()
	if first == "READY" {
		after = g.seq
	}
	for _, d := range g.events {
		if d.seq > after {
			c.send(d.frame())
		}
	}
	g.seq++
	d := dispatch{seq: g.seq, event: first, data: raw(data)}
	g.events = append(g.events, d)
	c.send(d.frame())
	g.conn = c
	g.mu.Unlock()
	g.rest.notify()
}
