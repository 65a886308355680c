package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"
)

// maxUpdatesPerPoll is getUpdates' default limit.
const maxUpdatesPerPoll = 100

// addChat registers a chat the simulated users talk in.
func (b *tgBot) addChat(id int64, private bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.chats[id] = &tgChat{id: id, private: private, lim: newChatLimit(private),
		shown: make(map[int]string), question: make(map[int]int)}
}

// addFile stores a file users sent.
func (b *tgBot) addFile(id string, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.files[id] = data
}

// file returns a stored file, or nil.
func (b *tgBot) file(id string) []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.files[id]
}

// nextMessageID allocates a message id in a chat.
func (b *tgBot) nextMessageID(chat int64) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.chats[chat]
	c.nextMsg++
	return c.nextMsg
}

// push queues updates carrying ms for getUpdates, all at once: the next
// poll returns them together.
func (b *tgBot) push(ms ...tgMessage) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range ms {
		id := b.firstUpdate + len(b.updates)
		raw, err := json.Marshal(struct {
			UpdateID int       `json:"update_id"`
			Message  tgMessage `json:"message"`
		}{id, m})
		if err != nil {
			return err
		}
		b.updates = append(b.updates, raw)
	}
	close(b.wake)
	b.wake = make(chan struct{})
	return nil
}

// pending confirms the updates before offset and returns the next ones,
// with a channel closed when more arrive.
func (b *tgBot) pending(offset int) ([]json.RawMessage, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if drop := min(offset-b.firstUpdate, len(b.updates)); drop > 0 {
		b.updates = append(b.updates[:0], b.updates[drop:]...)
		b.firstUpdate += drop
	}
	n := min(len(b.updates), maxUpdatesPerPoll)
	return append([]json.RawMessage(nil), b.updates[:n]...), b.wake
}

// snapshot returns the bot's counters.
func (b *tgBot) snapshot() tgStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.stats
	if span := b.last.Sub(b.first).Seconds(); span > 0 {
		s.PerSecond = round2(float64(s.Requests) / span)
	}
	return s
}

// admit counts a request and applies the limits. b.mu must be held.
func (b *tgBot) admit(now time.Time, c *chatLimit) (int, bool) {
	b.stats.Requests++
	if b.first.IsZero() {
		b.first = now
	}
	b.last = now
	if !b.limited {
		return 0, true
	}
	ra, ok := b.lim.admit(now, c)
	if !ok {
		b.stats.Limited++
	}
	return ra, ok
}

// call handles one Bot API method at now.
func (b *tgBot) call(method string, form url.Values, now time.Time) (tgResponse, *visibleEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch method {
	case "getMe":
		return okResult(b.self), nil
	case "deleteWebhook", "setMyCommands", "setWebhook":
		return okResult(true), nil
	case "sendMessage", "sendRichMessage":
		return b.sendMessage(form, now, method == "sendRichMessage")
	case "editMessageText":
		return b.editMessageText(form, now, form.Has("rich_message"))
	case "sendMessageDraft", "sendRichMessageDraft":
		return b.sendMessageDraft(form, now, method == "sendRichMessageDraft")
	case "deleteMessage":
		return b.deleteMessage(form, now), nil
	case "sendChatAction", "answerCallbackQuery":
		return b.simple(method, now), nil
	case "getFile":
		return b.getFile(form, now), nil
	}
	return tgError(http.StatusNotFound, "Not Found: method not found"), nil
}

// chatOf returns the chat a request names. b.mu must be held.
func (b *tgBot) chatOf(form url.Values) (*tgChat, bool) {
	id, err := strconv.ParseInt(form.Get("chat_id"), 10, 64)
	c := b.chats[id]
	return c, err == nil && c != nil
}

// chatNotFound is the answer for an unknown chat_id.
func chatNotFound() tgResponse { return tgError(http.StatusBadRequest, "Bad Request: chat not found") }

// maxRichChars is the documented limit of a rich message's text (Bot API
// 10.1, Rich Message Limits: "Up to 32768 UTF-8 characters").
const maxRichChars = 32768

// messageText is the text a request shows: its text, or, for a rich
// message, rich_message's Markdown (qwenbot sends no other form), or the
// Bot API's answer refusing it.
func messageText(form url.Values, rich bool) (string, *tgResponse) {
	text := form.Get("text")
	if rich {
		var rm struct {
			Markdown string `json:"markdown"`
		}
		if err := json.Unmarshal([]byte(form.Get("rich_message")), &rm); err != nil {
			return "", ptr(tgError(http.StatusBadRequest, "Bad Request: can't parse rich_message JSON object"))
		}
		if utf8.RuneCountInString(rm.Markdown) > maxRichChars {
			return "", ptr(tgError(http.StatusBadRequest, "Bad Request: message is too long"))
		}
		text = rm.Markdown
	}
	if text == "" {
		return "", ptr(tgError(http.StatusBadRequest, "Bad Request: message text is empty"))
	}
	return text, nil
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// sendMessage posts a message: sendMessage's text, or sendRichMessage's
// rich message when rich is set.
func (b *tgBot) sendMessage(form url.Values, now time.Time, rich bool) (tgResponse, *visibleEvent) {
	c, ok := b.chatOf(form)
	if !ok {
		return chatNotFound(), nil
	}
	if ra, ok := b.admit(now, c.lim); !ok {
		return tooMany(ra), nil
	}
	text, refused := messageText(form, rich)
	if refused != nil {
		return *refused, nil
	}
	markup := form.Get("reply_markup")
	b.countRich(rich)
	c.nextMsg++
	c.shown[c.nextMsg] = markup + "\x00" + text
	q := replyTarget(form)
	if root, ok := c.question[q]; ok {
		q = root // a continuation answers what the message it continues answers
	}
	if q != 0 {
		c.question[c.nextMsg] = q
	}
	b.stats.Sends++
	ev := &visibleEvent{chat: c.id, kind: visibleSend, text: text, markup: markup != "", question: q}
	return okResult(b.message(c, c.nextMsg, now)), ev
}

// editMessageText replaces a message's text, or, when rich is set, makes
// it show rich_message.
func (b *tgBot) editMessageText(form url.Values, now time.Time, rich bool) (tgResponse, *visibleEvent) {
	c, ok := b.chatOf(form)
	if !ok {
		return chatNotFound(), nil
	}
	if ra, ok := b.admit(now, c.lim); !ok {
		return tooMany(ra), nil
	}
	id, _ := strconv.Atoi(form.Get("message_id"))
	old, found := c.shown[id]
	if !found {
		return tgError(http.StatusBadRequest, "Bad Request: message to edit not found"), nil
	}
	text, refused := messageText(form, rich)
	if refused != nil {
		return *refused, nil
	}
	markup := form.Get("reply_markup")
	if old == markup+"\x00"+text {
		return tgError(http.StatusBadRequest, "Bad Request: message is not modified: specified new message "+
			"content and reply markup are exactly the same as a current content and reply markup of the message"), nil
	}
	c.shown[id] = markup + "\x00" + text
	b.countRich(rich)
	b.stats.Edits++
	ev := &visibleEvent{chat: c.id, kind: visibleEdit, text: text, markup: markup != "", question: c.question[id]}
	return okResult(b.message(c, id, now)), ev
}

// sendMessageDraft shows a streaming draft in a private chat: text, or
// rich_message when rich is set (sendRichMessageDraft).
func (b *tgBot) sendMessageDraft(form url.Values, now time.Time, rich bool) (tgResponse, *visibleEvent) {
	c, ok := b.chatOf(form)
	if !ok {
		return chatNotFound(), nil
	}
	if !c.private {
		return tgError(http.StatusBadRequest, "Bad Request: TEXTDRAFT_PEER_INVALID"), nil
	}
	if ra, ok := b.admit(now, c.lim); !ok {
		return tooMany(ra), nil
	}
	if form.Get("draft_id") == "" || form.Get("draft_id") == "0" {
		return tgError(http.StatusBadRequest, "Bad Request: draft_id must be non-zero"), nil
	}
	text, refused := messageText(form, rich)
	if refused != nil {
		return *refused, nil
	}
	b.countRich(rich)
	b.stats.Drafts++
	return okResult(true), &visibleEvent{chat: c.id, kind: visibleDraft, text: text}
}

// countRich counts a rich message shown. b.mu must be held.
func (b *tgBot) countRich(rich bool) {
	if rich {
		b.stats.Rich++
	}
}

// deleteMessage removes a message.
func (b *tgBot) deleteMessage(form url.Values, now time.Time) tgResponse {
	c, ok := b.chatOf(form)
	if !ok {
		return chatNotFound()
	}
	if ra, ok := b.admit(now, c.lim); !ok {
		return tooMany(ra)
	}
	id, _ := strconv.Atoi(form.Get("message_id"))
	if _, found := c.shown[id]; !found {
		return tgError(http.StatusBadRequest, "Bad Request: message to delete not found")
	}
	delete(c.shown, id)
	delete(c.question, id)
	return okResult(true)
}

// replyTarget is the message a sendMessage replies to: reply_parameters'
// message_id, else the older reply_to_message_id, else 0.
func replyTarget(form url.Values) int {
	if p := form.Get("reply_parameters"); p != "" {
		var rp struct {
			MessageID int `json:"message_id"`
		}
		if json.Unmarshal([]byte(p), &rp) == nil {
			return rp.MessageID
		}
	}
	id, _ := strconv.Atoi(form.Get("reply_to_message_id"))
	return id
}

// simple answers methods that only count towards the bot's limit.
func (b *tgBot) simple(method string, now time.Time) tgResponse {
	if ra, ok := b.admit(now, nil); !ok {
		return tooMany(ra)
	}
	if method == "sendChatAction" {
		b.stats.Actions++
	}
	return okResult(true)
}

// getFile describes a stored file.
func (b *tgBot) getFile(form url.Values, now time.Time) tgResponse {
	if ra, ok := b.admit(now, nil); !ok {
		return tooMany(ra)
	}
	id := form.Get("file_id")
	data, found := b.files[id]
	if !found {
		return tgError(http.StatusBadRequest, "Bad Request: invalid file_id")
	}
	return okResult(map[string]any{"file_id": id, "file_unique_id": "u" + id,
		"file_size": len(data), "file_path": "photos/" + id + ".jpg"})
}

// message is the Message answered for a bot's message.
func (b *tgBot) message(c *tgChat, id int, now time.Time) tgMessage {
	typ := "supergroup"
	if c.private {
		typ = "private"
	}
	return tgMessage{MessageID: id, From: &b.self, Chat: tgChatJSON{ID: c.id, Type: typ}, Date: now.Unix()}
}
