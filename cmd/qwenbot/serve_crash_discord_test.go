package main

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// interactionsAddr matches the interactions endpoint's address in the
// "qwenbot started" log line.
var interactionsAddr = regexp.MustCompile(`"discord_interactions":"([^"]+)"`)

// childInteractions waits until the child serving into out has started
// and returns its interactions endpoint's URL.
func childInteractions(t *testing.T, out *syncBuffer) string {
	t.Helper()
	out.waitFor(t, "qwenbot started")
	m := interactionsAddr.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no interactions endpoint in the log:\n%s", out.String())
	}
	return "http://" + m[1]
}

// askNow is an /ask by who with prompt, whose id dates it now (a claimed
// interaction is answered while its token, valid 15 minutes from then,
// lasts).
func askNow(fake *dctest.Server, who dctest.Invoker, prompt string) *discordgo.Interaction {
	i := fake.Command(who, "ask", dctest.String("prompt", prompt))
	i.ID = strconv.FormatInt((time.Now().UnixMilli()-1420070400000)<<22, 10)
	return i
}

func TestServeKilledMidAnswerAnswersEveryDiscordInteractionAfterARestart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve as a subprocess")
	}
	url, prefix, rdb := testRedis(t)
	model := llmtest.NewServer(t)
	const answer = "The answer is **4**, because two plus two makes four."
	model.SetDefault(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"The answer is **4**", ", because two plus two makes four."},
		llm.Usage{InputTokens: 9, OutputTokens: 12, TotalTokens: 21})})
	hold := make(chan struct{}) // the first answer stops after its first words
	t.Cleanup(func() { close(hold) })
	model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"The answer is **4**", ", because two plus two makes four."},
		llm.Usage{InputTokens: 9, OutputTokens: 12, TotalTokens: 21}), Hold: hold, HoldAfter: 1})
	fake := dctest.New(t)
	env := merge(serveEnv(model.URL, url, prefix), discordEnv(fake),
		map[string]string{"QWENBOT_CHAT_LOCK_TTL": "2s", "QWENBOT_CHAT_JOURNAL_LEASE": "2s", "QWENBOT_CHAT_DRAIN_TIMEOUT": "100ms"})
	first, out := startChild(t, env)
	endpoint := childInteractions(t, out)

	who := dctest.Invoker{Guild: "g1", Channel: "c1", User: "u1", Username: "ann", GlobalName: "Ann"}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	post := func(i *discordgo.Interaction) {
		t.Helper()
		status, body, err := fake.PostInteraction(ctx, endpoint, i, time.Now())
		if err != nil || status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":5}` {
			t.Fatalf("POST /ask = %d %s %v, want the deferred response", status, body, err)
		}
	}
	one := askNow(fake, who, "question one")
	post(one)
	fake.WaitFor(t, "the first words", func() bool {
		for _, m := range fake.Messages() {
			if m.Token == one.Token && strings.Contains(m.Content, "4") {
				return true
			}
		}
		return false
	})
	// Deferred, so journaled, and queued behind the first.
	two := askNow(fake, who, "question two")
	post(two)
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	second, out2 := startChild(t, env)
	answered := func(token string) bool {
		for _, m := range fake.Messages() {
			if m.Token == token && m.Kind == dctest.KindOriginal && m.Content == answer && !m.StopButton {
				return true
			}
		}
		return false
	}
	fake.WaitFor(t, "both questions answered in their responses after the restart", func() bool {
		return answered(one.Token) && answered(two.Token)
	})
	if n := len(fake.Callbacks()); n != 0 {
		t.Errorf("%d interaction callbacks: the HTTP endpoint answered in its responses, the restart deferred nothing again", n)
	}
	// Stopped, it has stored every turn it answered.
	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = second.Wait()
	var stored []string
	for _, tn := range history(t, rdb, prefix, "dc:g1:c1") {
		stored = append(stored, tn.User)
	}
	if want := []string{"question one", "question two"}; !slices.EqualFunc(stored, want, strings.HasSuffix) {
		t.Errorf("history %q, want %q once each, in order\nfirst process:\n%s\nsecond process:\n%s", stored, want, out.String(), out2.String())
	}
}
