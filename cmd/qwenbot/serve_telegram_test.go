package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// The users of the Telegram tests.
var (
	alice = tgtest.User{ID: 11, FirstName: "Alice", Username: "alice"}
	bob   = tgtest.User{ID: 12, FirstName: "Bob", Username: "bob"}
)

const groupID = -1001234

// Texts of the Telegram tests; the logs must never contain them.
const (
	photoQuestion = "what is 2+2 in this zebra picture?"
	answerStart   = "The answer is **4**"
	answerEnd     = ", because two plus two makes four."
)

// tgStack is a Telegram deployment under test: fake Bot API, fake model,
// real Redis.
type tgStack struct {
	tg     *tgtest.Server
	model  *llmtest.Server
	url    string
	prefix string
	rdb    redis.UniversalClient
}

func newTGStack(t *testing.T) *tgStack {
	t.Helper()
	url, prefix, rdb := testRedis(t)
	x := &tgStack{tg: tgtest.NewServer(t), model: llmtest.NewServer(t), url: url, prefix: prefix, rdb: rdb}
	x.model.SetDefault(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{answerStart, answerEnd},
		llm.Usage{InputTokens: 900, OutputTokens: 12, TotalTokens: 912, ImageTokens: 6})})
	return x
}

func (x *tgStack) env(extra ...map[string]string) map[string]string {
	return merge(append([]map[string]string{serveEnv(x.model.URL, x.url, x.prefix), telegramEnv(x.tg)}, extra...)...)
}

// finalReply waits for srv's next turn to finish (its final message is
// sent by then) and returns that turn's report and the formatted final
// answer in chat.
func (x *tgStack) finalReply(t *testing.T, srv *instance, chat int64) (tgtest.SentMessage, bots.TurnReport) {
	t.Helper()
	r := recv(t, srv.turns.finished, "the turn to finish")
	for _, m := range x.tg.Sent() {
		if m.ChatID == chat && strings.Contains(m.Text, "<b>4</b>") && strings.Contains(m.Text, "two plus two") && m.Markup == "" {
			return m, r
		}
	}
	t.Fatalf("no final answer in chat %d; sent: %+v", chat, x.tg.Sent())
	return tgtest.SentMessage{}, r
}

func TestServeTelegramPrivatePhoto(t *testing.T) {
	x := newTGStack(t)
	hold := make(chan struct{}) // the rest of the answer waits for its first words on screen
	x.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{answerStart, answerEnd},
		llm.Usage{InputTokens: 900, OutputTokens: 12, TotalTokens: 912, ImageTokens: 6}), Hold: hold, HoldAfter: 1})
	srv := startServe(t, x.env())
	x.tg.AddFile("hw", jpegBytes(t))
	x.tg.Push(tgtest.Message{ID: 77, Chat: tgtest.PrivateChat(alice), From: alice, Photo: tgtest.Photo("hw", 0), Caption: photoQuestion})

	first := x.tg.WaitCall(t, "sendMessageDraft", func(tgtest.Call) bool { return true })
	close(hold)
	if !strings.Contains(first.Params["text"], "<b>4</b>") {
		t.Errorf("first draft %q, want the model's first words (no placeholder)", first.Params["text"])
	}
	final, r := x.finalReply(t, srv, alice.ID)
	if final.ParseMode != "HTML" || final.ReplyTo != 77 {
		t.Errorf("final reply %+v: want HTML replying to message 77", final)
	}
	if n := len(x.tg.Calls("sendMessage")); n != 1 {
		t.Errorf("%d sendMessage calls, want the final alone (the stream went to drafts)", n)
	}
	if r.Outcome != "ok" || r.Platform != "tg" {
		t.Errorf("turn report %+v", r)
	}
	reqs := x.model.Requests()
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Raw), "data:image/jpeg;base64,") {
		t.Fatalf("model requests = %d, want 1 with the photo as a data URL", len(reqs))
	}
	turns := history(t, x.rdb, x.prefix, "tg:11")
	if len(turns) != 1 || turns[0].User != photoQuestion || turns[0].Assistant != answerStart+answerEnd || len(turns[0].Images) != 1 {
		t.Errorf("stored turns = %+v", turns)
	}
	if code := srv.stop(t); code != exitOK {
		t.Errorf("exit code %d after SIGTERM, want 0", code)
	}
}

func TestServeTelegramGroupOnlyWhenAddressed(t *testing.T) {
	x := newTGStack(t)
	srv := startServe(t, x.env())
	x.tg.AddFile("hw", jpegBytes(t))
	group := tgtest.GroupChat(groupID)
	x.tg.Push(tgtest.Message{Chat: group, From: bob, Photo: tgtest.Photo("hw", 0), Caption: "my homework"})
	x.tg.Push(tgtest.Message{Chat: group, From: bob, Text: "anyone around?"})
	x.tg.Push(tgtest.Message{ID: 90, Chat: group, From: alice, Text: "@qwen_test_bot what is 2+2?"})

	if final, _ := x.finalReply(t, srv, groupID); final.ReplyTo != 90 {
		t.Errorf("final reply %+v: want a reply to the mention", final)
	}
	if n := len(x.model.Requests()); n != 1 {
		t.Errorf("%d model requests, want only the mention's", n)
	}
	if n := len(x.tg.Calls("sendMessageDraft")); n != 0 {
		t.Errorf("%d drafts in a group; drafts are for private chats", n)
	}
	turns := history(t, x.rdb, x.prefix, "tg:"+strconv.FormatInt(groupID, 10))
	if len(turns) != 1 || turns[0].User != "what is 2+2?" || turns[0].SenderName == "" {
		t.Errorf("stored turns = %+v", turns)
	}
}
