package dctest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// dial fetches the gateway URL from the REST fake and connects, reading
// HELLO.
func dial(t *testing.T, s *Server) *websocket.Conn {
	t.Helper()
	code, body := do(t, s, "GET", "https://discord.com/api/v10/gateway/bot", "Bot "+Token, "")
	var g struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal([]byte(body), &g); err != nil || code != 200 || !strings.HasPrefix(g.URL, "ws://127.0.0.1:") {
		t.Fatalf("GET /gateway/bot = %d %s", code, body)
	}
	ws, _, err := websocket.DefaultDialer.DialContext(t.Context(), g.URL+"?v=10&encoding=json", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if p := read(t, ws); p.Op != opHello || !strings.Contains(string(p.D), `"heartbeat_interval":41250`) {
		t.Fatalf("first message %+v, want HELLO", p)
	}
	return ws
}

// read reads one payload.
func read(t *testing.T, ws *websocket.Conn) payload {
	t.Helper()
	var p payload
	if err := ws.ReadJSON(&p); err != nil {
		t.Fatalf("read: %v", err)
	}
	return p
}

// send writes op with d.
func send(t *testing.T, ws *websocket.Conn, op int, d any) {
	t.Helper()
	if err := ws.WriteJSON(map[string]any{"op": op, "d": d}); err != nil {
		t.Fatal(err)
	}
}

// identify sends IDENTIFY with token and intents.
func identify(t *testing.T, ws *websocket.Conn, token string, intents discordgo.Intent) {
	t.Helper()
	send(t, ws, opIdentify, map[string]any{"token": token, "intents": intents})
}

func TestGatewaySession(t *testing.T) {
	s := New(t)
	g := NewGateway(s)
	ws := dial(t, s)
	send(t, ws, opHeartbeat, nil)
	if p := read(t, ws); p.Op != opHeartbeatACK {
		t.Fatalf("%+v, want the heartbeat ACK", p)
	}
	identify(t, ws, "Bot "+Token, discordgo.IntentsGuildMessages|discordgo.IntentsMessageContent)
	ready := read(t, ws)
	if ready.T != "READY" || ready.S == nil || *ready.S != 1 || !strings.Contains(string(ready.D), `"session_id":"session-1"`) ||
		!strings.Contains(string(ready.D), `"id":"`+BotID+`"`) {
		t.Fatalf("%+v, want READY", ready)
	}
	g.MessageCreate(&discordgo.Message{ID: "5", Content: "hi"})
	if p := read(t, ws); p.T != "MESSAGE_CREATE" || *p.S != 2 || !strings.Contains(string(p.D), `"content":"hi"`) {
		t.Fatalf("%+v, want the MESSAGE_CREATE", p)
	}

	g.Drop()
	g.InteractionCreate(s.ModalSubmit(Invoker{Channel: "d1", User: "u1"}, "m", map[string]string{"in": "typed"}))
	ws = dial(t, s)
	send(t, ws, opResume, map[string]any{"token": "Bot " + Token, "session_id": "session-1", "seq": 2})
	if p := read(t, ws); p.T != "INTERACTION_CREATE" || *p.S != 3 || !strings.Contains(string(p.D), `"value":"typed"`) {
		t.Fatalf("%+v, want the missed INTERACTION_CREATE replayed, with the modal's value", p)
	}
	if p := read(t, ws); p.T != "RESUMED" || *p.S != 4 {
		t.Fatalf("%+v, want RESUMED", p)
	}

	g.InvalidateSession()
	g.Drop()
	ws = dial(t, s)
	send(t, ws, opResume, map[string]any{"token": "Bot " + Token, "session_id": "session-1", "seq": 4})
	if p := read(t, ws); p.Op != opInvalidSession || string(p.D) != "false" {
		t.Fatalf("%+v, want INVALID_SESSION", p)
	}
	identify(t, ws, Token, discordgo.IntentsGuildMessages)
	if p := read(t, ws); p.T != "READY" || *p.S != 1 || !strings.Contains(string(p.D), `"session_id":"session-2"`) {
		t.Fatalf("%+v, want READY of a new session", p)
	}
	if r := g.Resumes(); len(r) != 2 || r[0] != (Resume{SessionID: "session-1", Seq: 2}) {
		t.Errorf("resumes = %+v", r)
	}
	if n := g.Connections(); n != 3 {
		t.Errorf("%d connections, want 3", n)
	}
}

func TestGatewayCloseCodes(t *testing.T) {
	tests := []struct {
		name    string
		token   string
		intents discordgo.Intent
		code    int
	}{
		{"wrong token", "Bot nope", discordgo.IntentsGuildMessages, CloseAuthenticationFailed},
		{"privileged intent not enabled", Token, discordgo.IntentsGuildMembers, CloseDisallowedIntents},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t)
			NewGateway(s)
			ws := dial(t, s)
			identify(t, ws, tt.token, tt.intents)
			var p payload
			err := ws.ReadJSON(&p)
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != tt.code {
				t.Fatalf("read = %+v, %v; want close %d", p, err, tt.code)
			}
		})
	}
}
