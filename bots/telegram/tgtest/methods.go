package tgtest

import (
	"net/http"
	"slices"
)

// SentMessage is a message the bot sent, as it stands now.
type SentMessage struct {
	ChatID   int64
	ThreadID int
	ID       int
	Text     string
	// ParseMode is "HTML", "MarkdownV2" or "", or RichMode for a rich
	// message, whose Text is then its rich Markdown.
	ParseMode string
	// ReplyTo is the message_id of reply_parameters, or 0.
	ReplyTo int
	// Markup is the reply_markup JSON, or "".
	Markup string
	// Edits counts successful edits.
	Edits int
}

// Sent returns copies of the messages the bot sent (and did not delete),
// oldest first.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SentMessage, 0, len(s.sent))
	for _, m := range s.sent {
		out = append(out, *m)
	}
	return out
}

// Webhook returns the URL set by setWebhook, or "".
func (s *Server) Webhook() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// dispatch answers a call that was not scripted to fail.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, c Call) {
	switch c.Method {
	case "getMe":
		writeOK(w, s.Bot.json())
	case "getUpdates":
		s.getUpdates(w, r, c)
	case "sendMessage":
		s.sendMessage(w, c)
	case "editMessageText":
		s.editMessageText(w, c)
	case "deleteMessage":
		s.deleteMessage(w, c)
	case "sendMessageDraft":
		s.sendMessageDraft(w, c)
	case "sendRichMessage", "sendRichMessageDraft":
		s.richMethod(w, c)
	case "getFile":
		s.getFile(w, c)
	case "setWebhook":
		s.setWebhook(w, c.Params["url"])
	case "deleteWebhook":
		s.setWebhook(w, "")
	case "sendChatAction", "setMyCommands", "answerCallbackQuery":
		writeOK(w, true)
	default:
		writeFailure(w, Failure{Code: 404, Description: "Not Found"})
	}
}

// sendMessage stores and returns a new message.
func (s *Server) sendMessage(w http.ResponseWriter, c Call) {
	if f := checkText(c); f != nil {
		writeFailure(w, *f)
		return
	}
	var reply struct {
		MessageID int `json:"message_id"`
	}
	_ = c.JSON("reply_parameters", &reply)
	s.mu.Lock()
	s.nextMsg++
	m := &SentMessage{
		ChatID: c.Int("chat_id"), ThreadID: int(c.Int("message_thread_id")), ID: s.nextMsg,
		Text: c.Params["text"], ParseMode: c.Params["parse_mode"], ReplyTo: reply.MessageID,
		Markup: c.Params["reply_markup"],
	}
	s.messages[msgKey{m.ChatID, m.ID}] = m
	s.sent = append(s.sent, m)
	s.notifyLocked()
	s.mu.Unlock()
	writeOK(w, s.messageJSON(m))
}

// editMessageText edits a stored message, refusing edits that change
// nothing as Telegram does.
func (s *Server) editMessageText(w http.ResponseWriter, c Call) {
	if c.Params["rich_message"] != "" && !s.isOldServer() {
		s.editRich(w, c)
		return
	}
	if f := checkText(c); f != nil {
		writeFailure(w, *f)
		return
	}
	s.edit(w, c, c.Params["text"], c.Params["parse_mode"])
}

// edit replaces the text and parse mode of the message c names, refusing
// an edit that changes nothing as Telegram does, and answers it.
func (s *Server) edit(w http.ResponseWriter, c Call, text, mode string) {
	s.mu.Lock()
	m, ok := s.messages[msgKey{c.Int("chat_id"), int(c.Int("message_id"))}]
	var f *Failure
	switch {
	case !ok:
		f = ptr(EditNotFound())
	case m.Text == text && m.ParseMode == mode && m.Markup == c.Params["reply_markup"]:
		f = ptr(NotModified())
	default:
		m.Text, m.ParseMode, m.Markup = text, mode, c.Params["reply_markup"]
		m.Edits++
		s.notifyLocked()
	}
	var out map[string]any
	if f == nil {
		out = s.messageJSON(m)
	}
	s.mu.Unlock()
	if f != nil {
		writeFailure(w, *f)
		return
	}
	writeOK(w, out)
}

// deleteMessage removes a stored message.
func (s *Server) deleteMessage(w http.ResponseWriter, c Call) {
	k := msgKey{c.Int("chat_id"), int(c.Int("message_id"))}
	s.mu.Lock()
	m, ok := s.messages[k]
	if ok {
		delete(s.messages, k)
		s.sent = slices.DeleteFunc(s.sent, func(x *SentMessage) bool { return x == m })
		s.notifyLocked()
	}
	s.mu.Unlock()
	if !ok {
		writeFailure(w, BadRequest("message to delete not found"))
		return
	}
	writeOK(w, true)
}

// sendMessageDraft accepts a draft in a private chat.
func (s *Server) sendMessageDraft(w http.ResponseWriter, c Call) {
	switch {
	case c.Int("chat_id") <= 0:
		writeFailure(w, BadRequest("drafts can be sent only to private chats"))
	case c.Int("draft_id") == 0:
		writeFailure(w, BadRequest("draft_id must be non-zero"))
	default:
		if f := checkText(c); f != nil {
			writeFailure(w, *f)
			return
		}
		writeOK(w, true)
	}
}

// setWebhook sets (or with "" deletes) the webhook.
func (s *Server) setWebhook(w http.ResponseWriter, url string) {
	s.mu.Lock()
	s.webhook = url
	s.notifyLocked()
	s.mu.Unlock()
	writeOK(w, true)
}

// messageJSON is the Message object of a sent message. Call with s.mu held.
func (s *Server) messageJSON(m *SentMessage) map[string]any {
	chatType := "private"
	if m.ChatID < 0 {
		chatType = "supergroup"
	}
	out := map[string]any{
		"message_id": m.ID, "date": 1700000000, "text": m.Text,
		"from": s.Bot.json(),
		"chat": map[string]any{"id": m.ChatID, "type": chatType},
	}
	if m.ThreadID != 0 {
		out["message_thread_id"] = m.ThreadID
		out["is_topic_message"] = true
	}
	return out
}

// checkText validates a message text as Telegram would.
func checkText(c Call) *Failure {
	text := c.Params["text"]
	plain := text
	if c.Params["parse_mode"] == "HTML" {
		p, err := parseHTML(text)
		if err != "" {
			return ptr(BadRequest("can't parse entities: " + err))
		}
		plain = p
	}
	switch n := utf16Len(plain); {
	case n == 0:
		return ptr(BadRequest("message text is empty"))
	case n > 4096:
		return ptr(TooLong())
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
