package dctest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// route is one REST endpoint of the fake.
type route struct {
	method string
	path   *regexp.Regexp
	handle func(s *Server, w http.ResponseWriter, r Request, m []string)
	// auth requires the bot token; webhook endpoints use their own token.
	auth bool
}

// routes are the endpoints the adapter uses.
var routes = []route{
	{http.MethodPost, regexp.MustCompile(`^/interactions/([^/]+)/([^/]+)/callback$`), (*Server).callback, false},
	{http.MethodPost, regexp.MustCompile(`^/webhooks/([^/]+)/([^/]+)$`), (*Server).followup, false},
	{http.MethodPatch, regexp.MustCompile(`^/webhooks/([^/]+)/([^/]+)/messages/([^/]+)$`), (*Server).webhookEdit, false},
	{http.MethodDelete, regexp.MustCompile(`^/webhooks/([^/]+)/([^/]+)/messages/([^/]+)$`), (*Server).webhookDelete, false},
	{http.MethodPost, regexp.MustCompile(`^/channels/([^/]+)/messages$`), (*Server).channelSend, true},
	{http.MethodPatch, regexp.MustCompile(`^/channels/([^/]+)/messages/([^/]+)$`), (*Server).channelEdit, true},
	{http.MethodDelete, regexp.MustCompile(`^/channels/([^/]+)/messages/([^/]+)$`), (*Server).channelDelete, true},
	{http.MethodGet, regexp.MustCompile(`^/channels/([^/]+)/messages/([^/]+)$`), (*Server).channelMessage, true},
	{http.MethodPost, regexp.MustCompile(`^/channels/([^/]+)/typing$`), (*Server).channelTyping, true},
	{http.MethodPut, regexp.MustCompile(`^/applications/([^/]+)/commands$`), (*Server).overwriteCommands, true},
	{http.MethodPut, regexp.MustCompile(`^/applications/([^/]+)/guilds/([^/]+)/commands$`), (*Server).overwriteCommands, true},
	{http.MethodGet, regexp.MustCompile(`^/oauth2/applications/@me$`), (*Server).application, true},
	{http.MethodGet, regexp.MustCompile(`^/users/@me$`), (*Server).me, true},
	{http.MethodPost, regexp.MustCompile(`^/users/@me/channels$`), (*Server).openDM, true},
	{http.MethodGet, regexp.MustCompile(`^/gateway(/bot)?$`), (*Server).gateway, false},
	{http.MethodGet, regexp.MustCompile(`^/attachments/(.+)$`), (*Server).attachment, false},
	{http.MethodGet, regexp.MustCompile(`^/media/attachments/(.+)$`), (*Server).media, false},
}

// route answers r from the first matching endpoint.
func (s *Server) route(w http.ResponseWriter, r Request) {
	for _, rt := range routes {
		m := rt.path.FindStringSubmatch(r.Path)
		if m == nil || rt.method != r.Method {
			continue
		}
		if rt.auth && r.Header.Get("Authorization") != "Bot "+Token {
			apiError(w, http.StatusUnauthorized, 0, "401: Unauthorized")
			return
		}
		rt.handle(s, w, r, m)
		return
	}
	s.errorf("unexpected request %s %s", r.Method, r.Path)
	apiError(w, http.StatusNotFound, 0, "404: Not Found")
}

// tokenGone answers 401 for an expired interaction token.
func (s *Server) tokenGone(w http.ResponseWriter, token string) bool {
	s.mu.Lock()
	gone := s.expired[token]
	s.mu.Unlock()
	if gone {
		apiError(w, http.StatusUnauthorized, 50027, "Invalid Webhook Token")
	}
	return gone
}

// callback records an interaction response; type 4 and 5 create the
// original response, type 9 (a modal) creates no message.
func (s *Server) callback(w http.ResponseWriter, r Request, m []string) {
	if s.tokenGone(w, m[2]) {
		return
	}
	var body struct {
		Type int `json:"type"`
		Data *struct {
			Content  string `json:"content"`
			Flags    int    `json:"flags"`
			CustomID string `json:"custom_id"`
			Title    string `json:"title"`
		} `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		apiError(w, http.StatusBadRequest, 50109, "The request body contains invalid JSON.")
		return
	}
	cb := Callback{InteractionID: m[1], Token: m[2], Type: body.Type}
	if body.Data != nil {
		cb.Content, cb.Flags, cb.CustomID, cb.Title = body.Data.Content, body.Data.Flags, body.Data.CustomID, body.Data.Title
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callbacks = append(s.callbacks, cb)
	if cb.Type == 4 || cb.Type == 5 {
		msg := s.originalLocked(cb.Token)
		msg.Flags = cb.Flags
		if cb.Type == 4 {
			msg.updateLocked(messageBody{Content: &cb.Content})
		}
	}
	s.notifyLocked()
	w.WriteHeader(http.StatusNoContent)
}

// originalLocked returns the original response of token, creating it.
func (s *Server) originalLocked(token string) *Message {
	if m := s.originals[token]; m != nil {
		return m
	}
	m := s.newMessageLocked(KindOriginal, s.signer.channels[token], token, messageBody{})
	s.originals[token] = m
	return m
}

// followup creates a followup message.
func (s *Server) followup(w http.ResponseWriter, r Request, m []string) {
	if s.tokenGone(w, m[2]) {
		return
	}
	b, ok := readMessage(w, r.Body)
	if !ok {
		return
	}
	s.mu.Lock()
	msg := s.newMessageLocked(KindFollowup, s.signer.channels[m[2]], m[2], b)
	out := msg.json()
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// webhookEdit edits the original response ("@original") or a followup.
func (s *Server) webhookEdit(w http.ResponseWriter, r Request, m []string) {
	if s.tokenGone(w, m[2]) {
		return
	}
	b, ok := readMessage(w, r.Body)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.webhookMessageLocked(m[2], m[3])
	if msg == nil {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	msg.updateLocked(b)
	s.notifyLocked()
	writeJSON(w, http.StatusOK, msg.json())
}

// webhookMessageLocked finds a message of an interaction token by id or
// "@original" (created if missing: the HTTP endpoint defers in its own
// response, which the fake does not see).
func (s *Server) webhookMessageLocked(token, id string) *Message {
	if id == "@original" {
		return s.originalLocked(token)
	}
	msg := s.findLocked(id)
	if msg == nil || msg.Token != token {
		return nil
	}
	return msg
}

// webhookDelete deletes an interaction message.
func (s *Server) webhookDelete(w http.ResponseWriter, r Request, m []string) {
	if s.tokenGone(w, m[2]) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.webhookMessageLocked(m[2], m[3])
	if msg == nil {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	msg.Deleted = true
	s.notifyLocked()
	w.WriteHeader(http.StatusNoContent)
}

// channelSend creates a channel message.
func (s *Server) channelSend(w http.ResponseWriter, r Request, m []string) {
	b, ok := readMessage(w, r.Body)
	if !ok {
		return
	}
	s.mu.Lock()
	msg := s.newMessageLocked(KindChannel, m[1], "", b)
	out := msg.json()
	s.notifyLocked()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// channelEdit edits a channel message.
func (s *Server) channelEdit(w http.ResponseWriter, r Request, m []string) {
	b, ok := readMessage(w, r.Body)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.findLocked(m[2])
	if msg == nil || msg.ChannelID != m[1] {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	msg.updateLocked(b)
	s.notifyLocked()
	writeJSON(w, http.StatusOK, msg.json())
}

// channelDelete deletes a channel message.
func (s *Server) channelDelete(w http.ResponseWriter, _ Request, m []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.findLocked(m[2])
	if msg == nil || msg.ChannelID != m[1] {
		apiError(w, http.StatusNotFound, 10008, "Unknown Message")
		return
	}
	msg.Deleted = true
	s.notifyLocked()
	w.WriteHeader(http.StatusNoContent)
}

// channelTyping counts a typing indicator.
func (s *Server) channelTyping(w http.ResponseWriter, _ Request, m []string) {
	s.mu.Lock()
	s.typing[m[1]]++
	s.notifyLocked()
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// application answers /oauth2/applications/@me.
func (s *Server) application(w http.ResponseWriter, _ Request, _ []string) {
	writeJSON(w, http.StatusOK, map[string]any{"id": AppID, "name": "qwenbot"})
}

// me answers /users/@me.
func (s *Server) me(w http.ResponseWriter, _ Request, _ []string) {
	writeJSON(w, http.StatusOK, map[string]any{"id": BotID, "username": "qwenbot", "bot": true})
}

// openDM answers the DM channel with a user: "dm-<user id>".
func (s *Server) openDM(w http.ResponseWriter, r Request, _ []string) {
	var body struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.RecipientID == "" {
		apiError(w, http.StatusBadRequest, 50035, "Invalid Form Body")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": "dm-" + body.RecipientID, "type": 1})
}

// attachment serves a file added with AddAttachment.
func (s *Server) attachment(w http.ResponseWriter, _ Request, m []string) {
	s.mu.Lock()
	f, ok := s.files[m[1]]
	if ok {
		s.downloads = append(s.downloads, m[1])
		s.notifyLocked()
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	_, _ = w.Write(f.data)
}

// hasPrefixPath reports whether path is prefix or below it.
func hasPrefixPath(path, prefix string) bool {
	return prefix == "" || strings.HasPrefix(path, prefix)
}
