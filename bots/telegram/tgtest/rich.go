package tgtest

import (
	"net/http"
)

// RichMode is the SentMessage.ParseMode of a rich message (sendRichMessage,
// or editMessageText with rich_message); its Text is the rich Markdown.
const RichMode = "rich"

// SetOldServer makes the server answer as a Bot API server older than 10.1
// (an older self-hosted telegram-bot-api, an emulator): sendRichMessage and
// sendRichMessageDraft are unknown methods (404 Not Found), and
// editMessageText ignores rich_message, so an edit without text is refused
// as empty.
func (s *Server) SetOldServer(old bool) {
	s.mu.Lock()
	s.oldServer = old
	s.mu.Unlock()
}

// isOldServer reports whether SetOldServer(true) was called.
func (s *Server) isOldServer() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.oldServer
}

// inputRichMessage is the part of the Bot API InputRichMessage the fake
// reads.
type inputRichMessage struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Blocks   []any  `json:"blocks"`
}

// richMarkdown decodes and validates the rich_message parameter, returning
// its Markdown, or the failure Telegram's answer stands for.
func richMarkdown(c Call, draft bool) (string, *Failure) {
	var rm inputRichMessage
	if err := c.JSON("rich_message", &rm); err != nil {
		return "", ptr(BadRequest("can't parse rich_message JSON object"))
	}
	n := 0
	for _, set := range []bool{rm.Markdown != "", rm.HTML != "", rm.Blocks != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return "", ptr(BadRequest("exactly one of html, markdown or blocks must be specified"))
	}
	if rm.Markdown == "" {
		return "", ptr(BadRequest("tgtest: only markdown rich messages are faked"))
	}
	if err := ValidateRichMarkdown(rm.Markdown, draft); err != nil {
		return "", ptr(BadRequest(RichRejectedPrefix + err.Error()))
	}
	return rm.Markdown, nil
}

// RichRejectedPrefix starts the description of the fake's 400 answer to a
// rich message its validation refuses. The real server's wording is not
// documented; the adapter must not depend on it.
const RichRejectedPrefix = "tgtest: rich message rejected: "

// richMethod answers sendRichMessage and sendRichMessageDraft.
func (s *Server) richMethod(w http.ResponseWriter, c Call) {
	if s.isOldServer() {
		writeFailure(w, Failure{Code: 404, Description: "Not Found: method not found"})
		return
	}
	draft := c.Method == "sendRichMessageDraft"
	if draft && c.Int("chat_id") <= 0 {
		writeFailure(w, BadRequest("drafts can be sent only to private chats"))
		return
	}
	if draft && c.Int("draft_id") == 0 {
		writeFailure(w, BadRequest("draft_id must be non-zero"))
		return
	}
	md, f := richMarkdown(c, draft)
	if f != nil {
		writeFailure(w, *f)
		return
	}
	if draft {
		writeOK(w, true)
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
		Text: md, ParseMode: RichMode, ReplyTo: reply.MessageID, Markup: c.Params["reply_markup"],
	}
	s.messages[msgKey{m.ChatID, m.ID}] = m
	s.sent = append(s.sent, m)
	s.notifyLocked()
	out := s.messageJSON(m)
	s.mu.Unlock()
	writeOK(w, out)
}

// editRich answers editMessageText with rich_message.
func (s *Server) editRich(w http.ResponseWriter, c Call) {
	md, f := richMarkdown(c, false)
	if f != nil {
		writeFailure(w, *f)
		return
	}
	s.edit(w, c, md, RichMode)
}
