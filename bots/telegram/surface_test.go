package telegram

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestSurfaceCallsInTopic(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	s := h.bot.surface(chatRef{ID: groupID, Thread: 42})
	ref, err := s.Send(ctx, bots.Outgoing{Text: "<b>hi</b>", Format: bots.FormatHTML, ReplyTo: messageRef(7), StopButton: true})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := s.Edit(ctx, ref, bots.Outgoing{Text: "<b>hi</b> there", Format: bots.FormatHTML}); err != nil {
		t.Fatalf("Edit: %v", err)
	}
	if err := s.Typing(ctx); err != nil {
		t.Fatalf("Typing: %v", err)
	}
	if err := s.Delete(ctx, ref); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	calls := h.srv.Calls("sendMessage", "editMessageText", "sendChatAction", "deleteMessage")
	if len(calls) != 4 {
		t.Fatalf("got %d calls, want 4", len(calls))
	}
	for _, c := range calls {
		if c.Params["message_thread_id"] != "42" || c.Params["chat_id"] != "-1001234" {
			t.Errorf("%s params %v: want chat_id -1001234 and message_thread_id 42", c.Method, c.Params)
		}
	}
	send, edit := calls[0], calls[1]
	var reply replyParameters
	if err := send.JSON("reply_parameters", &reply); err != nil || reply.MessageID != 7 {
		t.Errorf("reply_parameters = %q, want message_id 7", send.Params["reply_parameters"])
	}
	for _, c := range []tgtest.Call{send, edit} {
		if c.Params["parse_mode"] != "HTML" || c.Params["link_preview_options"] != `{"is_disabled":true}` {
			t.Errorf("%s: parse_mode %q, link_preview_options %q", c.Method, c.Params["parse_mode"], c.Params["link_preview_options"])
		}
	}
	if !strings.Contains(send.Params["reply_markup"], `"callback_data":"stop"`) {
		t.Errorf("send reply_markup = %q, want the stop button", send.Params["reply_markup"])
	}
	if edit.Params["reply_markup"] != "" || edit.Params["message_id"] != ref.ID {
		t.Errorf("edit: reply_markup %q (want none), message_id %q (want %s)", edit.Params["reply_markup"], edit.Params["message_id"], ref.ID)
	}
	if calls[2].Params["action"] != "typing" {
		t.Errorf("chat action = %q, want typing", calls[2].Params["action"])
	}
}

func TestSurfacePlainTextHasNoParseMode(t *testing.T) {
	h := newHarness(t, Config{})
	s := h.bot.surface(chatRef{ID: alice().ID, Private: true})
	if _, err := s.Send(context.Background(), bots.Outgoing{Text: "a < b", Format: bots.FormatPlain}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	c := h.srv.Calls("sendMessage")[0]
	if _, ok := c.Params["parse_mode"]; ok {
		t.Errorf("parse_mode = %q, want none", c.Params["parse_mode"])
	}
	if _, ok := c.Params["message_thread_id"]; ok {
		t.Errorf("message_thread_id sent outside a topic")
	}
	if _, ok := c.Params["reply_parameters"]; ok {
		t.Errorf("reply_parameters sent without ReplyTo")
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		failure tgtest.Failure
		check   func(error) bool
	}{
		{"429 retry after", "sendMessage", tgtest.TooManyRequests(7), func(err error) bool {
			var ra *bots.RetryAfterError
			return errors.As(err, &ra) && ra.After == 7*time.Second
		}},
		{"not modified", "editMessageText", tgtest.NotModified(), func(err error) bool { return errors.Is(err, bots.ErrNotModified) }},
		{"can't parse entities", "sendMessage", tgtest.CantParse(), func(err error) bool { return errors.Is(err, bots.ErrBadFormat) }},
		{"too long", "sendMessage", tgtest.TooLong(), func(err error) bool { return errors.Is(err, bots.ErrTooLong) }},
		{"edit not found", "editMessageText", tgtest.EditNotFound(), func(err error) bool { return errors.Is(err, bots.ErrGone) }},
		{"can't be edited", "editMessageText", tgtest.BadRequest("message can't be edited"), func(err error) bool { return errors.Is(err, bots.ErrGone) }},
		{"blocked by the user", "sendMessage", tgtest.Forbidden(), undeliverable("bot was blocked")},
		{"kicked", "sendMessage", tgtest.Failure{Code: 403, Description: "Forbidden: bot was kicked from the supergroup chat"}, undeliverable("kicked")},
		{"edit after being blocked", "editMessageText", tgtest.Forbidden(), undeliverable("bot was blocked")},
		{"topic gone", "sendMessage", tgtest.BadRequest("message thread not found"), undeliverable("thread")},
		{"topic closed", "sendMessage", tgtest.BadRequest("TOPIC_CLOSED"), undeliverable("TOPIC_CLOSED")},
		{"empty text skips the state only", "sendMessage", tgtest.BadRequest("text must be non-empty"), func(err error) bool {
			return err != nil && !errors.Is(err, errUndeliverable)
		}},
		{"empty edit skips the state only", "editMessageText", tgtest.BadRequest("message text is empty"), func(err error) bool {
			return err != nil && !errors.Is(err, errUndeliverable)
		}},
		{"other bad request is none of them", "sendMessage", tgtest.BadRequest("wrong parameter"), func(err error) bool {
			var ra *bots.RetryAfterError
			return err != nil && !errors.As(err, &ra) && !errors.Is(err, errUndeliverable) && !errors.Is(err, bots.ErrGone) &&
				!errors.Is(err, bots.ErrBadFormat) && !errors.Is(err, bots.ErrTooLong)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			s := h.bot.surface(chatRef{ID: alice().ID, Private: true})
			ctx := context.Background()
			ref, err := s.Send(ctx, bots.Outgoing{Text: "first"})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			h.srv.FailNext(tt.method, tt.failure)
			if tt.method == "sendMessage" {
				_, err = s.Send(ctx, bots.Outgoing{Text: "second"})
			} else {
				err = s.Edit(ctx, ref, bots.Outgoing{Text: "second"})
			}
			if !tt.check(err) {
				t.Errorf("error %v (%T) not mapped as expected", err, err)
			}
		})
	}
}

// undeliverable checks for errUndeliverable, and only it, with text in the
// error's message.
func undeliverable(text string) func(error) bool {
	return func(err error) bool {
		var ra *bots.RetryAfterError
		return errors.Is(err, errUndeliverable) && !errors.As(err, &ra) && !errors.Is(err, bots.ErrGone) &&
			!errors.Is(err, bots.ErrBadFormat) && strings.Contains(err.Error(), text)
	}
}

func TestRealNotModifiedFromServer(t *testing.T) {
	h := newHarness(t, Config{})
	s := h.bot.surface(chatRef{ID: alice().ID, Private: true})
	ctx := context.Background()
	ref, err := s.Send(ctx, bots.Outgoing{Text: "<b>same</b>", Format: bots.FormatHTML})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := s.Edit(ctx, ref, bots.Outgoing{Text: "<b>same</b>", Format: bots.FormatHTML}); !errors.Is(err, bots.ErrNotModified) {
		t.Errorf("Edit to the same text: %v, want ErrNotModified", err)
	}
	if _, err := s.Send(ctx, bots.Outgoing{Text: "<foo>x</foo>", Format: bots.FormatHTML}); !errors.Is(err, bots.ErrBadFormat) {
		t.Errorf("Send of bad HTML: %v, want ErrBadFormat", err)
	}
	if _, err := s.Send(ctx, bots.Outgoing{Text: strings.Repeat("x", 4097)}); !errors.Is(err, bots.ErrTooLong) {
		t.Errorf("Send of 4097 characters: %v, want ErrTooLong", err)
	}
}

func TestLimits(t *testing.T) {
	h := newHarness(t, Config{Drafts: true, PrivateEdit: 1500 * time.Millisecond, GroupEdit: 4 * time.Second, GroupPerMinute: 12})
	tests := []struct {
		name string
		chat chatRef
		want bots.Limits
	}{
		{"private", chatRef{ID: 11, Private: true}, bots.Limits{MaxLen: 4096, Format: bots.FormatHTML, EditInterval: 1500 * time.Millisecond, PerSecond: 1, Burst: 2, Drafts: true}},
		{"group", chatRef{ID: groupID}, bots.Limits{MaxLen: 4096, Format: bots.FormatHTML, EditInterval: 4 * time.Second, WindowCap: 12, Window: time.Minute}},
		{"topic", chatRef{ID: groupID, Thread: 3}, bots.Limits{MaxLen: 4096, Format: bots.FormatHTML, EditInterval: 4 * time.Second, WindowCap: 12, Window: time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.bot.surface(tt.chat).Limits()
			if got.Count == nil || got.Count("<b>ab</b>") != 2 {
				t.Errorf("Count does not measure parsed HTML")
			}
			got.Count = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Limits = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDraftFailureKeepsLimits(t *testing.T) {
	h := newHarness(t, Config{Drafts: true})
	ctx := context.Background()
	s := h.bot.surface(chatRef{ID: alice().ID, Private: true})
	if err := s.Draft(ctx, 5, bots.Outgoing{Text: "<i>thinking</i>", Format: bots.FormatHTML}); err != nil {
		t.Fatalf("Draft: %v", err)
	}
	c := h.srv.Calls("sendMessageDraft")[0]
	if c.Params["chat_id"] != "11" || c.Params["draft_id"] != "5" || c.Params["text"] != "<i>thinking</i>" || c.Params["parse_mode"] != "HTML" {
		t.Errorf("sendMessageDraft params = %v", c.Params)
	}
	failures := []struct {
		name string
		f    tgtest.Failure
	}{
		{"rate limited", tgtest.TooManyRequests(3)},
		{"not found", tgtest.Failure{Code: 404, Description: "Not Found"}},
		{"server error", tgtest.Failure{Code: 502, Description: "Bad Gateway"}},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			h.srv.FailNext("sendMessageDraft", tt.f)
			if err := s.Draft(ctx, 5, bots.Outgoing{Text: "x"}); err == nil {
				t.Fatal("Draft succeeded through a failure")
			}
			if !s.Limits().Drafts || !h.bot.surface(chatRef{ID: alice().ID, Private: true}).Limits().Drafts {
				t.Error("a draft failure changed the chat's limits; the engine decides when to fall back")
			}
		})
	}
	if err := h.bot.surface(chatRef{ID: groupID}).Draft(ctx, 1, bots.Outgoing{Text: "x"}); err == nil {
		t.Error("Draft in a group succeeded")
	}
}
