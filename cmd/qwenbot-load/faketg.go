package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// tgUser is a Bot API User.
type tgUser struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Username  string `json:"username,omitempty"`
}

// tgChatJSON is a Bot API Chat.
type tgChatJSON struct {
	ID    int64  `json:"id"`
	Type  string `json:"type"`
	Title string `json:"title,omitempty"`
}

// visibleEvent is a successful change of what a chat shows.
type visibleEvent struct {
	chat   int64
	kind   visibleKind
	text   string
	markup bool // the message carries an inline keyboard (the Stop button)
	// question is the id of the user message the bot message's reply
	// chain answers (0: none, or a draft).
	question int
}

// visibleFunc receives every visible change, outside the fake's locks.
type visibleFunc func(b *tgBot, at time.Time, ev visibleEvent)

// fakeTG is a fake Telegram Bot API on loopback that enforces Telegram's
// limits (see tglimits.go) for the bots that have them. It answers the
// methods the telegram adapter uses with the Bot API's shapes, serves
// files, and long-polls getUpdates from queues the driver fills. Requests
// wait rtt/2 before and after being handled. Safe for concurrent use.
type fakeTG struct {
	now     func() time.Time
	rtt     time.Duration
	bots    map[string]*tgBot // by token; fixed after setup
	visible visibleFunc
	closed  chan struct{}
}

// newFakeTG returns a fake serving bots.
func newFakeTG(now func() time.Time, rtt time.Duration, visible visibleFunc, bots ...*tgBot) *fakeTG {
	f := &fakeTG{now: now, rtt: rtt, bots: make(map[string]*tgBot), visible: visible, closed: make(chan struct{})}
	for _, b := range bots {
		f.bots[b.token] = b
	}
	return f
}

// close ends pending long polls.
func (f *fakeTG) close() { close(f.closed) }

// ServeHTTP routes /bot<token>/<method> and /file/bot<token>/<path>.
func (f *fakeTG) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		f.serveFile(w, p)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, _ := strings.Cut(rest, "/")
	b := f.bots[token]
	if !ok || b == nil {
		tgError(http.StatusUnauthorized, "Unauthorized").write(w)
		return
	}
	if err := r.ParseForm(); err != nil {
		tgError(http.StatusBadRequest, "Bad Request: "+err.Error()).write(w)
		return
	}
	if method == "getUpdates" {
		f.getUpdates(w, r, b)
		return
	}
	if !sleepCtx(r.Context(), f.rtt/2) {
		return
	}
	at := f.now()
	resp, ev := b.call(method, r.Form, at)
	if ev != nil && f.visible != nil {
		f.visible(b, at, *ev)
	}
	if !sleepCtx(r.Context(), f.rtt/2) {
		return
	}
	resp.write(w)
}

// getUpdates answers a long poll: the pending updates from offset on, or
// an empty list once timeout seconds passed without any.
func (f *fakeTG) getUpdates(w http.ResponseWriter, r *http.Request, b *tgBot) {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	timeout, _ := strconv.Atoi(r.Form.Get("timeout"))
	expire := time.NewTimer(time.Duration(timeout) * time.Second)
	defer expire.Stop()
	for {
		ups, wake := b.pending(offset)
		if len(ups) > 0 || timeout <= 0 {
			if sleepCtx(r.Context(), f.rtt/2) {
				updatesResponse(ups).write(w)
			}
			return
		}
		select {
		case <-wake:
		case <-expire.C:
			updatesResponse(nil).write(w)
			return
		case <-f.closed:
			updatesResponse(nil).write(w)
			return
		case <-r.Context().Done():
			return
		}
	}
}

// serveFile serves a file uploaded by a simulated user: path is
// "<token>/photos/<file_id>.jpg".
func (f *fakeTG) serveFile(w http.ResponseWriter, path string) {
	token, rest, _ := strings.Cut(path, "/")
	b := f.bots[token]
	id := strings.TrimSuffix(strings.TrimPrefix(rest, "photos/"), ".jpg")
	var data []byte
	if b != nil {
		data = b.file(id)
	}
	if data == nil {
		http.NotFound(w, nil)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Content-Length", strconv.Itoa(len(data))) // as the Bot API's file server does
	_, _ = w.Write(data)
}

// sleepCtx waits d, or reports false when ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// tgResponse is a Bot API answer.
type tgResponse struct {
	status int
	body   []byte
}

// write sends the answer.
func (r tgResponse) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

// okResult is {"ok":true,"result":v}.
func okResult(v any) tgResponse {
	res, err := json.Marshal(v)
	if err != nil { // only plain structs, maps and bools are passed
		return tgError(http.StatusInternalServerError, "Internal Server Error: "+err.Error())
	}
	return tgResponse{status: http.StatusOK, body: append(append([]byte(`{"ok":true,"result":`), res...), '}')}
}

// updatesResponse is the answer to getUpdates.
func updatesResponse(ups []json.RawMessage) tgResponse {
	body := []byte(`{"ok":true,"result":[`)
	for i, u := range ups {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, u...)
	}
	return tgResponse{status: http.StatusOK, body: append(body, "]}"...)}
}

// tgError is {"ok":false,"error_code":code,"description":desc}.
func tgError(code int, desc string) tgResponse {
	body, _ := json.Marshal(struct {
		OK          bool   `json:"ok"`
		ErrorCode   int    `json:"error_code"`
		Description string `json:"description"`
	}{false, code, desc})
	return tgResponse{status: code, body: body}
}

// tooMany is Telegram's 429 answer, byte for byte.
func tooMany(retryAfter int) tgResponse {
	n := strconv.Itoa(retryAfter)
	return tgResponse{status: http.StatusTooManyRequests, body: []byte(
		`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after ` + n +
			`","parameters":{"retry_after":` + n + `}}`)}
}

// tgMessage is a Bot API Message as the simulated users send it.
type tgMessage struct {
	MessageID int        `json:"message_id"`
	From      *tgUser    `json:"from,omitempty"`
	Chat      tgChatJSON `json:"chat"`
	Date      int64      `json:"date"`
	Text      string     `json:"text,omitempty"`
	Caption   string     `json:"caption,omitempty"`
	Entities  []tgEntity `json:"entities,omitempty"`
	Photo     []tgPhoto  `json:"photo,omitempty"`
}

// tgEntity is a Bot API MessageEntity.
type tgEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

// tgPhoto is a Bot API PhotoSize.
type tgPhoto struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size"`
}

// tgStats count one bot's requests.
type tgStats struct {
	// Requests counts the requests that count towards the limits.
	Requests int `json:"requests"`
	// Limited counts the 429 answers.
	Limited int `json:"limited"`
	Sends   int `json:"sends"`
	Edits   int `json:"edits"`
	Drafts  int `json:"drafts"`
	// Rich counts the sends, edits and drafts showing rich messages.
	Rich    int `json:"rich"`
	Actions int `json:"actions"`
	// PerSecond is Requests over the time from the first to the last.
	PerSecond float64 `json:"per_second"`
}

// tgBot is one bot's state in the fake: its chats, update queue, files
// and limits.
type tgBot struct {
	token   string
	self    tgUser
	limited bool

	mu          sync.Mutex
	lim         limiter
	chats       map[int64]*tgChat
	updates     []json.RawMessage // pending; updates[0] has id firstUpdate
	firstUpdate int
	wake        chan struct{} // closed and replaced when an update arrives
	files       map[string][]byte
	stats       tgStats
	first, last time.Time // of the requests counted in stats
}

// newTGBot returns a bot; limited bots are held to Telegram's limits.
func newTGBot(token string, self tgUser, limited bool) *tgBot {
	return &tgBot{
		token: token, self: self, limited: limited,
		lim:         limiter{global: newBucket(botPerSecond, int(botPerSecond))},
		chats:       make(map[int64]*tgChat),
		firstUpdate: 1,
		wake:        make(chan struct{}),
		files:       make(map[string][]byte),
	}
}

// tgChat is one chat of a bot.
type tgChat struct {
	id      int64
	private bool
	lim     *chatLimit
	nextMsg int
	shown   map[int]string // message id → reply markup and text
	// question maps a bot message to the user message its reply chain
	// answers.
	question map[int]int
}
