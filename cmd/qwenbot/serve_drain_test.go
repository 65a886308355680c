package main

import (
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

func TestServeDrainsOnSIGTERM(t *testing.T) {
	x := newTGStack(t)
	// The model writes one sentence and then hangs: the answer is still
	// streaming when the signal comes.
	frames := llmtest.NativeAnswer(nil, []string{"Step one: read the problem."}, llm.Usage{InputTokens: 10, OutputTokens: 5})
	x.model.Enqueue(llmtest.Response{Frames: frames[:len(frames)-1], Hang: true})
	srv := startServe(t, x.env(map[string]string{"QWENBOT_CHAT_DRAIN_TIMEOUT": "2s"}))
	x.tg.Push(tgtest.Message{ID: 5, Chat: tgtest.PrivateChat(alice), From: alice, Text: "explain everything"})
	x.tg.WaitCall(t, "sendMessageDraft", func(c tgtest.Call) bool { return strings.Contains(c.Params["text"], "Step one") })

	srv.sigs <- syscall.SIGTERM
	srv.stderr.waitFor(t, "shutting down")
	if code, body := srv.get(t, "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "intake: draining") {
		t.Errorf("/readyz while draining = %d %q, want 503 draining", code, body)
	}
	if code, _ := srv.get(t, "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while draining = %d, want 200", code)
	}
	if code := recv(t, srv.done, "serve to exit"); code != exitOK {
		t.Errorf("exit code %d, want 0; output:\n%s", code, srv.stderr.String())
	}
	srv.done <- exitOK

	var final tgtest.SentMessage
	for _, m := range x.tg.Sent() {
		if m.ChatID == alice.ID {
			final = m
		}
	}
	if !strings.Contains(final.Text, "Step one: read the problem.") || !strings.Contains(final.Text, "interrupted") || final.ReplyTo != 5 {
		t.Errorf("last message %+v, want the partial answer ending in an interrupted note", final)
	}
	turns := history(t, x.rdb, x.prefix, "tg:11")
	if len(turns) != 1 || turns[0].Assistant != "Step one: read the problem." || !turns[0].Stopped {
		t.Errorf("stored turns = %+v, want what was shown, marked stopped", turns)
	}
	if r := recv(t, srv.turns.finished, "the turn report"); r.Outcome != "shutdown" {
		t.Errorf("outcome %q, want shutdown", r.Outcome)
	}
}

func TestServeExitsWhenIdle(t *testing.T) {
	x := newTGStack(t)
	srv := startServe(t, x.env(map[string]string{"QWENBOT_CHAT_DRAIN_TIMEOUT": "1m"}))
	srv.stderr.waitFor(t, "qwenbot started") // a start cut short logs no drain
	if code := srv.stop(t); code != exitOK {
		t.Errorf("exit code %d, want 0", code)
	}
	if !strings.Contains(srv.stderr.String(), "every running answer finished") {
		t.Errorf("no drained line in the log:\n%s", srv.stderr.String())
	}
}
