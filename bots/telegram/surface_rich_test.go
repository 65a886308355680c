package telegram

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/render"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestSurfaceRichCalls(t *testing.T) {
	h := newHarness(t, Config{RichMessages: RichAuto})
	ctx := context.Background()
	s := h.bot.surface(chatRef{ID: groupID, Thread: 42})
	if l := s.Limits(); l.Format != bots.FormatRich || l.RichMaxLen <= 0 || l.MaxLen != MaxLen {
		t.Fatalf("Limits = %+v, want rich with HTML's MaxLen kept", l)
	}
	ref, err := s.Send(ctx, bots.Outgoing{Text: "$x^2$", Format: bots.FormatRich, ReplyTo: messageRef(7), StopButton: true, StopID: "t1"})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if err := s.Edit(ctx, ref, bots.Outgoing{Text: "$x^2 = 4$", Format: bots.FormatRich}); err != nil {
		t.Fatalf("Edit: %v", err)
	}
	calls := h.srv.Calls("sendRichMessage", "editMessageText")
	if len(calls) != 2 {
		t.Fatalf("got %d calls, want 2", len(calls))
	}
	send, edit := calls[0], calls[1]
	for _, c := range calls {
		if c.Params["message_thread_id"] != "42" || c.Params["text"] != "" || c.Params["parse_mode"] != "" {
			t.Errorf("%s params %v: want the topic and rich_message only", c.Method, c.Params)
		}
	}
	if send.Params["rich_message"] != `{"markdown":"$x^2$"}` || !strings.Contains(send.Params["reply_markup"], `"callback_data":"stop:t1"`) {
		t.Errorf("send: rich_message %q, reply_markup %q", send.Params["rich_message"], send.Params["reply_markup"])
	}
	var reply replyParameters
	if err := send.JSON("reply_parameters", &reply); err != nil || reply.MessageID != 7 {
		t.Errorf("reply_parameters = %q, want message_id 7", send.Params["reply_parameters"])
	}
	if edit.Params["reply_markup"] != "" || edit.Params["rich_message"] != `{"markdown":"$x^2 = 4$"}` {
		t.Errorf("edit params %v", edit.Params)
	}
	if got := h.srv.Sent(); len(got) != 1 || got[0].ParseMode != tgtest.RichMode || got[0].Text != "$x^2 = 4$" {
		t.Errorf("sent = %+v", got)
	}
}

// TestSurfaceRichDraftThinking shows the reasoning in Telegram's native
// thinking block, which only drafts take.
func TestSurfaceRichDraftThinking(t *testing.T) {
	h := newHarness(t, Config{RichMessages: RichAuto})
	s := h.bot.surface(chatRef{ID: alice().ID, Private: true})
	out := bots.Outgoing{Text: render.RichThinking("Let a = 2 and b = -3", 600), Format: bots.FormatRich}
	if err := s.Draft(context.Background(), 9, out); err != nil {
		t.Fatalf("Draft: %v", err)
	}
	c := h.srv.Calls("sendRichMessageDraft")[0]
	var rm struct{ Markdown string }
	if err := c.JSON("rich_message", &rm); err != nil || !strings.HasPrefix(rm.Markdown, "<tg-thinking>") || c.Params["draft_id"] != "9" {
		t.Errorf("draft params %v", c.Params)
	}
	group := h.bot.surface(chatRef{ID: groupID})
	if _, err := group.Send(context.Background(), out); err != nil {
		t.Errorf("the thinking section in a message: %v", err)
	}
}

func TestSurfaceRichErrors(t *testing.T) {
	tests := []struct {
		name     string
		mode     string
		old      bool
		fail     *tgtest.Failure
		want     error
		richLeft bool // the Bot still prefers rich messages afterwards
	}{
		{name: "old server, auto", mode: RichAuto, old: true, want: bots.ErrBadFormat},
		{name: "old server, on", mode: RichOn, old: true, want: bots.ErrBadFormat, richLeft: true},
		{name: "refused state", mode: RichAuto, fail: ptrTo(tgtest.BadRequest("can't parse formula")), want: bots.ErrBadFormat, richLeft: true},
		{name: "rate limited", mode: RichAuto, fail: ptrTo(tgtest.TooManyRequests(3)), richLeft: true},
		{name: "blocked", mode: RichAuto, fail: ptrTo(tgtest.Forbidden()), want: bots.ErrUndeliverable, richLeft: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Config{RichMessages: tt.mode})
			h.srv.SetOldServer(tt.old)
			if tt.fail != nil {
				h.srv.FailNext("sendRichMessage", *tt.fail)
			}
			s := h.bot.surface(chatRef{ID: groupID})
			_, err := s.Send(context.Background(), bots.Outgoing{Text: "$x$", Format: bots.FormatRich})
			var ra *bots.RetryAfterError
			switch {
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("Send error = %v, want %v", err, tt.want)
			case tt.want == nil && !errors.As(err, &ra):
				t.Errorf("Send error = %v, want a RetryAfterError", err)
			}
			if got := h.bot.surface(chatRef{ID: groupID}).Limits().Format == bots.FormatRich; got != tt.richLeft {
				t.Errorf("rich afterwards = %v, want %v", got, tt.richLeft)
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

// TestRichOldServerLoggedOnce: the replies that meet an old server at once
// (several chats at the same time) log it once.
func TestRichOldServerLoggedOnce(t *testing.T) {
	h := newHarness(t, Config{RichMessages: RichAuto})
	h.srv.SetOldServer(true)
	for range 3 {
		s := h.bot.surface(chatRef{ID: groupID})
		_, _ = s.Send(context.Background(), bots.Outgoing{Text: "$x$", Format: bots.FormatRich})
	}
	if n := strings.Count(h.logs.String(), "has no rich messages"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, h.logs.String())
	}
}
