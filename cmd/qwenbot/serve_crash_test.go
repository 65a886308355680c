package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// childEnv marks the test binary run as the crash test's "serve".
const childEnv = "QWENBOT_TEST_SERVE_CHILD"

// TestServeChild is "qwenbot serve" as a subprocess of the crash test; it
// runs only there.
func TestServeChild(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("the crash test's subprocess")
	}
	os.Exit(run(context.Background(), []string{"serve"}, os.Getenv, os.Stdout, os.Stderr))
}

// startChild runs "serve" in a subprocess with env alone; it is killed
// when the test ends.
func startChild(t *testing.T, env map[string]string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
	cmd.Env = []string{childEnv + "=1"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, out
}

func TestServeKilledMidAnswerAnswersEveryQuestionAfterARestart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve as a subprocess")
	}
	x := newTGStack(t)
	hold := make(chan struct{}) // the first answer stops after its first words
	t.Cleanup(func() { close(hold) })
	x.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{answerStart, answerEnd},
		llm.Usage{InputTokens: 9, OutputTokens: 12, TotalTokens: 21}), Hold: hold, HoldAfter: 1})
	env := x.env(map[string]string{"QWENBOT_CHAT_LOCK_TTL": "2s", "QWENBOT_CHAT_JOURNAL_LEASE": "2s", "QWENBOT_CHAT_DRAIN_TIMEOUT": "100ms"})
	first, out := startChild(t, env)

	chat := tgtest.PrivateChat(alice)
	x.tg.Push(tgtest.Message{ID: 101, Chat: chat, From: alice, Text: "question one"})
	x.tg.WaitCall(t, "sendMessageDraft", func(c tgtest.Call) bool { return strings.Contains(c.Params["text"], "4") })
	x.tg.Push(tgtest.Message{ID: 102, Chat: chat, From: alice, Text: "question two"})
	// An album, gathering or queued when the process dies.
	x.tg.AddFile("p1", jpegBytes(t))
	x.tg.AddFile("p2", jpegBytes(t))
	x.tg.Push(tgtest.Message{ID: 103, Chat: chat, From: alice, MediaGroupID: "a1", Photo: tgtest.Photo("p1", 0), Caption: "question three"})
	last := x.tg.Push(tgtest.Message{ID: 104, Chat: chat, From: alice, MediaGroupID: "a1", Photo: tgtest.Photo("p2", 0)})
	// Taken (journaled, then acknowledged by the next poll's offset) and
	// queued behind the first.
	x.tg.WaitCall(t, "getUpdates", func(c tgtest.Call) bool { return c.Int("offset") > int64(last) })
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	_, out2 := startChild(t, env)
	answered := func(replyTo int) bool {
		for _, m := range x.tg.Sent() {
			if m.ReplyTo == replyTo && strings.Contains(m.Text, "two plus two") && m.Markup == "" {
				return true
			}
		}
		return false
	}
	x.tg.WaitFor(t, "every question answered after the restart", func() bool { return answered(101) && answered(102) && answered(103) })
	x.tg.WaitFor(t, "every turn stored", func() bool { return len(history(t, x.rdb, x.prefix, "tg:11")) >= 3 })
	var stored []string
	turns := history(t, x.rdb, x.prefix, "tg:11")
	for _, tn := range turns {
		stored = append(stored, fmt.Sprintf("%s (%d images)", tn.User, len(tn.Images)))
	}
	want := []string{"question one (0 images)", "question two (0 images)", "question three (2 images)"}
	if !slices.Equal(stored, want) {
		t.Errorf("history %q, want %q once each, in order (the album whole)\nfirst process:\n%s\nsecond process:\n%s", stored, want, out.String(), out2.String())
	}
}
