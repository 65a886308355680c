package discord

import (
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestQueuedAskIsNotLeftThinking(t *testing.T) {
	fake := dctest.New(t)
	clock := newSpyClock(epoch)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, clock), eng)
	b.interact(fake.Command(guildUser, "ask", dctest.String("prompt", "hi")))
	tr := eng.onlyTurn(t)

	clock.waitAfter(t, holdAfter, "the watcher of the deferred response")
	clock.Advance(holdAfter)
	fake.WaitFor(t, "the original response filled", func() bool { return fake.Messages()[0].Content != "" })
	orig := fake.Messages()[0]
	if orig.Kind != dctest.KindOriginal || orig.Content != stillQueuedText("") || orig.StopButton {
		t.Fatalf("original = %+v, want the still-queued note", orig)
	}

	if _, err := tr.Surface.Send(t.Context(), out("answer, part 1")); err != nil {
		t.Fatal(err)
	}
	clock.Advance(tokenLifetime - holdAfter)
	if _, err := tr.Surface.Send(t.Context(), out("answer, part 2")); err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages()
	if len(msgs) != 3 || msgs[1].Kind != dctest.KindFollowup || msgs[2].Kind != dctest.KindChannel || msgs[2].ReplyTo != orig.ID {
		t.Errorf("messages = %+v, want a followup, then a channel message replying to the original", msgs)
	}
}

func TestAnsweredAskNeedsNoNote(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, clock), eng)
	b.interact(fake.Command(guildUser, "ask", dctest.String("prompt", "hi")))
	tr := eng.onlyTurn(t)
	if _, err := tr.Surface.Send(t.Context(), out("answer")); err != nil {
		t.Fatal(err)
	}
	b.watchers.Wait() // the watcher ends once the answer filled the original
	clock.Advance(time.Hour)
	if msgs := fake.Messages(); len(msgs) != 1 || msgs[0].Contents[len(msgs[0].Contents)-1] != "answer" {
		t.Errorf("messages = %+v, want only the answer", msgs)
	}
}
