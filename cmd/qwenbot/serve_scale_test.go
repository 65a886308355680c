package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
	"github.com/qwenbot/qwenbot/memory"
)

// gatedModel is a fake DashScope that holds every request until the test
// releases it, then answers the n-th request with "reply-n".
type gatedModel struct {
	url     string
	arrived chan string   // request bodies, in order of arrival
	release chan struct{} // each send lets one held request answer
}

func newGatedModel(t *testing.T) *gatedModel {
	t.Helper()
	m := &gatedModel{arrived: make(chan string, 16), release: make(chan struct{})}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		k := n.Add(1)
		m.arrived <- string(body)
		select {
		case <-m.release:
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, f := range llmtest.NativeAnswer(nil, []string{fmt.Sprintf("reply-%d", k)}, llm.Usage{InputTokens: 10, OutputTokens: 2, TotalTokens: 12}) {
			_, _ = io.WriteString(w, f)
			_ = http.NewResponseController(w).Flush()
		}
	}))
	t.Cleanup(srv.Close)
	m.url = srv.URL
	return m
}

// postUpdate posts a Telegram update to in's webhook with secret and
// returns the status.
func postUpdate(t *testing.T, in *instance, update []byte, secret string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+in.ep.telegramWebhook()+webhookPath, bytes.NewReader(update))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post update: %v", err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// startedOn returns the replica whose turn starts next.
func startedOn(t *testing.T, a, b *instance) *instance {
	t.Helper()
	select {
	case <-a.turns.started:
		return a
	case <-b.turns.started:
		return b
	case <-waitTimeout():
		t.Fatal("no turn started on either replica")
	}
	return nil
}

// TestServeTwoReplicasShareOneChat runs two replicas on one Redis behind
// one bot's webhook. An update delivered to both is answered once; each
// next message of the chat reaches the other replica while the previous
// answer is still streaming, waits for the chat's lock, and sees the whole
// history before it.
func TestServeTwoReplicasShareOneChat(t *testing.T) {
	url, prefix, rdb := testRedis(t)
	tg := tgtest.NewServer(t)
	model := newGatedModel(t)
	env := merge(serveEnv(model.url, url, prefix), telegramEnv(tg), webhookEnv())
	a, b := startServe(t, env), startServe(t, env)
	tg.WaitFor(t, "both webhooks registered", func() bool { return len(tg.Calls("setWebhook")) == 2 })
	// b started once a listened, so b takes half of the bot's budgets.
	log := b.stderr.String()
	if !slices.ContainsFunc(strings.Split(log, "\n"), func(line string) bool {
		return strings.Contains(line, "the per-bot request budgets are shared among replicas") && strings.Contains(line, `"replicas":2`)
	}) {
		t.Errorf("the second replica did not take half of the per-bot budgets; its log:\n%s", log)
	}
	other := map[*instance]*instance{a: b, b: a}
	questions := []string{"alpha", "bravo", "charlie", "delta"}
	update := func(i int) []byte {
		return tg.Update(i+1, tgtest.Message{ID: 101 + i, Chat: tgtest.PrivateChat(alice), From: alice, Text: "question " + questions[i]})
	}
	if code := postUpdate(t, a, update(0), "wrong secret"); code != http.StatusUnauthorized {
		t.Errorf("update with a wrong secret: %d, want 401", code)
	}

	var wg sync.WaitGroup
	for _, in := range []*instance{a, b} {
		wg.Go(func() {
			if code := postUpdate(t, in, update(0), webhookSecret); code != http.StatusOK {
				t.Errorf("post update: %d", code)
			}
		})
	}
	wg.Wait()
	running := startedOn(t, a, b)
	bodies := []string{recv(t, model.arrived, "the first model request")}
	for i := 1; i < len(questions); i++ {
		next := other[running]
		if code := postUpdate(t, next, update(i), webhookSecret); code != http.StatusOK {
			t.Fatalf("post update %d: %d", i+1, code)
		}
		recv(t, next.turns.started, "the turn on the other replica")
		select {
		case body := <-model.arrived:
			t.Fatalf("turn %d asked the model while turn %d held the chat: %s", i+1, i, body)
		default:
		}
		model.release <- struct{}{}
		bodies = append(bodies, recv(t, model.arrived, "the next model request"))
		running = next
	}
	model.release <- struct{}{}
	for range questions {
		select {
		case <-a.turns.finished:
		case <-b.turns.finished:
		case <-waitTimeout():
			t.Fatal("turns did not finish")
		}
	}
	checkReplicated(t, questions, bodies, tg.Sent(), history(t, rdb, prefix, "tg:11"))
	if n := len(a.turns.started) + len(b.turns.started); n != 0 {
		t.Errorf("%d more turns started: an update was answered twice", n)
	}
}

// checkReplicated checks that question i got "reply-i" once, in order, in
// the chat and in the history, and that the model saw every earlier turn.
func checkReplicated(t *testing.T, questions, bodies []string, sent []tgtest.SentMessage, turns []memory.Turn) {
	t.Helper()
	for i, body := range bodies {
		var want []string
		for j := range i {
			want = append(want, "question "+questions[j], fmt.Sprintf("reply-%d", j+1))
		}
		want = append(want, "question "+questions[i])
		if !inOrder(body, want) || (i+1 < len(questions) && strings.Contains(body, questions[i+1])) {
			t.Errorf("model request %d does not carry exactly the history before it in order: %s", i+1, body)
		}
	}
	var replies []string
	for _, m := range sent {
		if m.ChatID == alice.ID {
			replies = append(replies, fmt.Sprintf("%s>%d", m.Text, m.ReplyTo))
		}
	}
	if want := "reply-1>101 reply-2>102 reply-3>103 reply-4>104"; strings.Join(replies, " ") != want {
		t.Errorf("answers sent: %v, want %s", replies, want)
	}
	if len(turns) != len(questions) {
		t.Fatalf("%d stored turns, want %d: %+v", len(turns), len(questions), turns)
	}
	for i, tr := range turns {
		if tr.User != "question "+questions[i] || tr.Assistant != fmt.Sprintf("reply-%d", i+1) {
			t.Errorf("stored turn %d = %q → %q", i+1, tr.User, tr.Assistant)
		}
	}
}

// inOrder reports whether s contains every part, each after the one before.
func inOrder(s string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}
