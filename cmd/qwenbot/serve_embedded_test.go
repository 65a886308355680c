package main

import (
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// TestServeWithoutRedisOrOpsEndpoint runs the bot the way the README's
// quick start does: no Redis (the embedded store, with a warning) and, from
// config.toml, no operator endpoint.
func TestServeWithoutRedisOrOpsEndpoint(t *testing.T) {
	tg, model := tgtest.NewServer(t), llmtest.NewServer(t)
	model.SetDefault(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{answerStart, answerEnd}, llm.Usage{OutputTokens: 12})})
	env := merge(serveEnv(model.URL, "", ""), telegramEnv(tg))
	delete(env, "REDIS_URL")
	delete(env, "QWENBOT_REDIS_PREFIX")
	delete(env, "QWENBOT_HTTP_LISTEN")
	cfg := writeConfig(t, "[http]\nlisten = \"\"\n")
	srv := startServe(t, env, "--config", cfg)
	if srv.ep.ops != nil {
		t.Errorf("operator endpoint at %v although http.listen is empty", srv.ep.ops)
	}
	if !strings.Contains(srv.stderr.String(), "embedded in-process store") {
		t.Errorf("no warning about the embedded store:\n%s", srv.stderr.String())
	}
	x := &tgStack{tg: tg, model: model}
	x.tg.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice), From: alice, Text: "what is 2+2?"})
	if _, r := x.finalReply(t, srv, alice.ID); r.Outcome != "ok" {
		t.Errorf("turn report %+v", r)
	}
	if code := srv.stop(t); code != exitOK {
		t.Errorf("exit code %d, want 0", code)
	}
}
