package main

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestRepliesAreAttributedToTheirQuestion(t *testing.T) {
	b := newTGBot("t", tgUser{ID: 1, IsBot: true}, false)
	b.addChat(-5, false)
	q1, q2 := b.nextMessageID(-5), b.nextMessageID(-5)
	send := func(text string, replyTo int) *visibleEvent {
		t.Helper()
		f := url.Values{"chat_id": {"-5"}, "text": {text}}
		if replyTo != 0 {
			f.Set("reply_parameters", `{"message_id":`+strconv.Itoa(replyTo)+`,"allow_sending_without_reply":true}`)
		}
		_, ev := b.call("sendMessage", f, at(0))
		if ev == nil {
			t.Fatalf("send %q failed", text)
		}
		return ev
	}
	a1 := send("…", q1)
	a2 := send("…", q2)
	cont := send("x1 part 2", 4) // continues a2's message (id 4)
	_, edit := b.call("editMessageText", url.Values{"chat_id": {"-5"}, "message_id": {"3"}, "text": {"x1"}}, at(0))
	old := url.Values{"chat_id": {"-5"}, "text": {"x2"}, "reply_to_message_id": {strconv.Itoa(q1)}}
	_, legacy := b.call("sendMessage", old, at(0))
	loose := send("notice", 0)
	for _, tc := range []struct {
		name string
		ev   *visibleEvent
		want int
	}{
		{"first reply", a1, q1}, {"second reply", a2, q2}, {"continuation", cont, q2},
		{"edit", edit, q1}, {"reply_to_message_id", legacy, q1}, {"no reply", loose, 0},
	} {
		if tc.ev == nil || tc.ev.question != tc.want {
			t.Errorf("%s: event %+v, want question %d", tc.name, tc.ev, tc.want)
		}
	}
}

// TestRichMessages: the fake answers Bot API 10.1's rich messages as
// qwenbot sends them (rich_message's Markdown), with the Bot API's
// refusals, and counts them.
func TestRichMessages(t *testing.T) {
	b := newTGBot("t", tgUser{ID: 1, IsBot: true}, false)
	b.addChat(7, true)
	b.addChat(-5, false)
	rich := func(md string) string { return `{"markdown":` + strconv.Quote(md) + `}` }
	call := func(method string, f url.Values) (tgResponse, *visibleEvent) {
		t.Helper()
		return b.call(method, f, at(0))
	}
	_, sent := call("sendRichMessage", url.Values{"chat_id": {"-5"}, "rich_message": {rich("x1 **x2**")}})
	if sent == nil || sent.kind != visibleSend || sent.text != "x1 **x2**" {
		t.Fatalf("sendRichMessage shows %+v, want its Markdown", sent)
	}
	edit := url.Values{"chat_id": {"-5"}, "message_id": {"1"}, "rich_message": {rich("x1 **x2** x3")}}
	if _, ev := call("editMessageText", edit); ev == nil || ev.kind != visibleEdit || ev.text != "x1 **x2** x3" {
		t.Errorf("rich editMessageText shows %+v", ev)
	}
	if r, ev := call("editMessageText", edit); ev != nil || !strings.Contains(string(r.body), "message is not modified") {
		t.Errorf("the same rich edit again = %d %s, want message is not modified", r.status, r.body)
	}
	draft := url.Values{"chat_id": {"7"}, "draft_id": {"9"}, "rich_message": {rich("r1 x1")}}
	if _, ev := call("sendRichMessageDraft", draft); ev == nil || ev.kind != visibleDraft || ev.text != "r1 x1" {
		t.Errorf("sendRichMessageDraft shows %+v", ev)
	}
	for _, tc := range []struct{ name, method, chat, rm, want string }{
		{"not JSON", "sendRichMessage", "-5", "{", "can't parse rich_message"},
		{"empty", "sendRichMessage", "-5", rich(""), "message text is empty"},
		{"too long", "sendRichMessage", "-5", rich(strings.Repeat("é", maxRichChars+1)), "message is too long"},
		{"rich edit without Markdown", "editMessageText", "-5", `{}`, "message text is empty"},
		{"draft in a group", "sendRichMessageDraft", "-5", rich("x1"), "TEXTDRAFT_PEER_INVALID"},
	} {
		f := url.Values{"chat_id": {tc.chat}, "message_id": {"1"}, "draft_id": {"9"}, "rich_message": {tc.rm}}
		if r, ev := call(tc.method, f); ev != nil || r.status != 400 || !strings.Contains(string(r.body), tc.want) {
			t.Errorf("%s: %d %s %+v, want 400 %q", tc.name, r.status, r.body, ev, tc.want)
		}
	}
	long := rich(strings.Repeat("é", maxRichChars))
	if _, ev := call("sendRichMessage", url.Values{"chat_id": {"-5"}, "rich_message": {long}}); ev == nil {
		t.Errorf("a rich message of %d characters was refused", maxRichChars)
	}
	if st := b.snapshot(); st.Rich != 4 || st.Sends != 2 || st.Edits != 1 || st.Drafts != 1 {
		t.Errorf("stats %+v, want 4 rich of 2 sends, 1 edit and 1 draft", st)
	}
}
