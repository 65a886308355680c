package tgtest

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
)

// call makes one Bot API call, reporting transport errors only.
func call(s *Server, method string, params url.Values) error {
	resp, err := s.Client().PostForm(s.URL+"/bot"+s.Token+"/"+method, params)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	return resp.Body.Close()
}

// TestWaitForSeesStoredMessages checks that WaitFor wakes when a message
// is stored, edited or deleted, not only when the call arrives: the hook
// holds each call until the waiter has looked (and found nothing) after
// the call was recorded, so the change is the only thing left to wake it.
func TestWaitForSeesStoredMessages(t *testing.T) {
	tests := []struct {
		name   string
		method string
		params func(id int) url.Values
		cond   func(sent []SentMessage) bool
	}{
		{"send", "sendMessage", func(int) url.Values { return url.Values{"chat_id": {"7"}, "text": {"second"}} },
			func(sent []SentMessage) bool { return len(sent) == 2 }},
		{"edit", "editMessageText", func(id int) url.Values {
			return url.Values{"chat_id": {"7"}, "message_id": {strconv.Itoa(id)}, "text": {"edited"}}
		}, func(sent []SentMessage) bool { return len(sent) == 1 && sent[0].Text == "edited" }},
		{"delete", "deleteMessage", func(id int) url.Values {
			return url.Values{"chat_id": {"7"}, "message_id": {strconv.Itoa(id)}}
		}, func(sent []SentMessage) bool { return len(sent) == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t)
			if err := call(s, "sendMessage", url.Values{"chat_id": {"7"}, "text": {"first"}}); err != nil {
				t.Fatal(err)
			}
			id := s.Sent()[0].ID
			looked := make(chan struct{}, 16)
			s.OnCall(tt.method, func(Call) *Failure {
				<-looked // the waiter, woken by the recorded call, looked
				return nil
			})
			errs := make(chan error, 1)
			go func() {
				<-looked // the waiter's first look, before the call
				errs <- call(s, tt.method, tt.params(id))
			}()
			s.WaitFor(t, "the "+tt.name+" seen", func() bool {
				looked <- struct{}{}
				return tt.cond(s.Sent())
			})
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		})
	}
}
