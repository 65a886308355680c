package discord

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// stopCustomIDRe finds the custom id of a Stop button naming its turn in
// a request body.
var stopCustomIDRe = regexp.MustCompile(`"custom_id":"(` + regexp.QuoteMeta(stopButtonID) + `:[^"]+)"`)

// waitStopCustomID waits for a message with a Stop button naming its turn
// and returns the button's custom id.
func waitStopCustomID(t *testing.T, fake *dctest.Server) string {
	t.Helper()
	var id string
	fake.WaitFor(t, "a Stop button naming its turn", func() bool {
		for _, r := range fake.Requests() {
			if m := stopCustomIDRe.FindSubmatch(r.Body); m != nil {
				id = string(m[1])
				return true
			}
		}
		return false
	})
	return id
}

func TestEndToEndStopButtonInAGuild(t *testing.T) {
	classmate := dctest.Invoker{Guild: "g1", Channel: "c1", User: "u3", Username: "cat"}
	admin := dctest.Invoker{Guild: "g1", Channel: "c1", User: "u9", Username: "teacher"}
	tests := []struct {
		name  string
		by    dctest.Invoker
		stops bool
	}{
		{name: "the asker stops the answer", by: guildUser, stops: true},
		{name: "a classmate is refused and the answer goes on", by: classmate},
		{name: "an admin stops the answer", by: admin, stops: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gate := llmtest.NewFrameGate(1) // the answer waits after its first words
			st := newGatedStack(t, gate)
			st.model.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil,
				[]string{"The answer", " is **42**."}, llm.Usage{InputTokens: 10, OutputTokens: 5, TotalTokens: 15})})
			fake := dctest.New(t)
			cfg := testConfig(fake, bots.SystemClock{})
			cfg.EditInterval = 10 * time.Millisecond
			cfg.Admins = []string{admin.User}
			b := newTestBot(t, fake, cfg, st.eng)
			b.interact(fake.Command(guildUser, "ask", dctest.String("prompt", "what is it?")))
			finalText(t, fake, "The answer")
			customID := waitStopCustomID(t, fake)

			b.interact(fake.StopClick(tt.by, customID))
			cbs := fake.Callbacks()
			click := cbs[len(cbs)-1]
			if tt.stops {
				if click.Type != 6 {
					t.Errorf("click answered %+v, want a deferred update", click)
				}
				fake.WaitFor(t, "the stopped reply", func() bool {
					m := fake.Messages()
					return len(m) > 0 && strings.Contains(m[0].Content, "⏹") && !m[0].StopButton
				})
				gate.Open(1)
				st.eng.Wait()
				return
			}
			if click.Type != 4 || click.Flags&64 == 0 || click.Content != bots.NoticesFor("").NotYourStop() {
				t.Errorf("click answered %+v, want the ephemeral refusal", click)
			}
			gate.Open(1)
			fake.WaitFor(t, "the whole answer", func() bool {
				m := fake.Messages()
				return len(m) > 0 && m[0].Content == "The answer is **42**." && !m[0].StopButton
			})
			st.eng.Wait()
			for _, m := range fake.Messages() {
				if m.Content == bots.NoticesFor("").NotYourStop() && m.Flags&64 == 0 {
					t.Errorf("the refusal %+v is not ephemeral", m)
				}
			}
		})
	}
}
