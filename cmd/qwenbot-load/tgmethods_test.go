package main

import (
	"net/url"
	"strconv"
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
		_, ev := b.sendMessage(f, at(0))
		if ev == nil {
			t.Fatalf("send %q failed", text)
		}
		return ev
	}
	a1 := send("…", q1)
	a2 := send("…", q2)
	cont := send("x1 part 2", 4) // continues a2's message (id 4)
	_, edit := b.editMessageText(url.Values{"chat_id": {"-5"}, "message_id": {"3"}, "text": {"x1"}}, at(0))
	old := url.Values{"chat_id": {"-5"}, "text": {"x2"}, "reply_to_message_id": {strconv.Itoa(q1)}}
	_, legacy := b.sendMessage(old, at(0))
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
