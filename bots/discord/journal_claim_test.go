package discord

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestClaimedInteractionIsAnsweredByEditingItsResponse(t *testing.T) {
	tests := []struct {
		name    string
		viaHTTP bool
	}{{"HTTP endpoint", true}, {"gateway", false}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := dctest.New(t)
			clock := botstest.NewFakeClock(epoch)
			js := newJournalStore(t, clock)
			dead, eng := &fakeEngine{}, &fakeEngine{}
			first := newJournalBot(t, fake, clock, dead, js, nil)
			i := askAt(fake, "left behind", epoch)
			if tc.viaHTTP {
				if code := postInteraction(t, first, fake, i); code != http.StatusOK {
					t.Fatalf("status %d", code)
				}
				first.wait()
			} else {
				first.interact(i)
			}
			dead.onlyTurn(t)
			killed(first, clock)

			callbacks := len(fake.Callbacks())
			second := newJournalBot(t, fake, clock, eng, js, nil)
			second.claim(t.Context())
			second.wait()
			tr := eng.onlyTurn(t)
			if tr.Text != "left behind" || !tr.Resumable {
				t.Fatalf("turn %q (resumable %v), want the claimed question", tr.Text, tr.Resumable)
			}
			if _, err := tr.Surface.Send(t.Context(), out("the answer")); err != nil {
				t.Fatal(err)
			}
			if n := len(fake.Callbacks()); n != callbacks {
				t.Errorf("%d more interaction responses: a claimed interaction was deferred again", n-callbacks)
			}
			if m := fake.Messages(); len(m) != 1 || m[0].Kind != dctest.KindOriginal || m[0].Content != "the answer" {
				t.Errorf("messages %+v, want the original response edited", m)
			}
			tr.Ended()
			js.journal.waitDone(t, interactionEntry(i.ID))
		})
	}
}

func TestClaimedInteractionPastItsTokenIsEnded(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	js := newJournalStore(t, clock)
	first := newJournalBot(t, fake, clock, &fakeEngine{}, js, nil)
	i := askAt(fake, "too old", epoch)
	first.interact(i)
	first.drain()
	clock.Advance(interactionLifetime + time.Second)

	var logs syncBuffer
	eng := &fakeEngine{}
	second := newJournalBot(t, fake, clock, eng, js, &logs)
	requests := len(fake.Requests())
	second.claim(t.Context())
	second.wait()
	js.journal.waitDone(t, interactionEntry(i.ID))
	if n := len(fake.Requests()) - requests; n != 0 {
		t.Errorf("%d requests for an interaction whose token expired", n)
	}
	if len(eng.Turns()) != 0 {
		t.Error("an interaction whose token expired was answered")
	}
	if !strings.Contains(logs.String(), "token expired") || !strings.Contains(logs.String(), i.ID) {
		t.Errorf("log %q does not say which interaction was ended", logs.String())
	}
}

func TestClaimedMessageIsAnswered(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	js := newJournalStore(t, clock)
	dead, eng := &fakeEngine{}, &fakeEngine{}
	first := newJournalBot(t, fake, clock, dead, js, nil)
	first.receive(mention("920", "what now?"))
	dead.onlyTurn(t)
	killed(first, clock)

	second := newJournalBot(t, fake, clock, eng, js, nil)
	second.setSelf("") // before the gateway's Ready: the record names the bot
	second.claim(t.Context())
	second.wait()
	tr := eng.onlyTurn(t)
	if tr.Text != "what now?" || tr.Chat != "dc:g1:c1" || !tr.Resumable {
		t.Fatalf("turn %q in %s (resumable %v), want the claimed mention", tr.Text, tr.Chat, tr.Resumable)
	}
	if _, err := tr.Surface.Send(t.Context(), bots.Outgoing{Text: "answer", ReplyTo: tr.ReplyTo}); err != nil {
		t.Fatal(err)
	}
	if m := fake.Messages(); len(m) != 1 || m[0].Kind != dctest.KindChannel || m[0].Content != "answer" {
		t.Errorf("messages %+v, want the answer in the channel", m)
	}
	tr.Ended()
	js.journal.waitDone(t, messageEntry("920"))
}

func TestClaimedTurnsKeepTheirChatsOrder(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	js := newJournalStore(t, clock)
	dead := &fakeEngine{}
	first := newJournalBot(t, fake, clock, dead, js, nil)
	first.interact(askAt(fake, "one", clock.Now()))
	clock.Advance(time.Millisecond)
	first.receive(mention("930", "two"))
	clock.Advance(time.Millisecond)
	first.interact(askAt(fake, "three", clock.Now()))
	clock.Advance(time.Millisecond)
	first.receive(mention("931", "four"))
	if n := len(dead.Turns()); n != 4 {
		t.Fatalf("%d turns before the crash, want 4", n)
	}
	killed(first, clock)

	eng, turns := submitted()
	second := newJournalBot(t, fake, clock, eng, js, nil)
	second.claim(t.Context())
	var got []string
	for range 4 {
		got = append(got, waitTurn(t, turns).Text)
	}
	second.wait()
	if want := []string{"one", "two", "three", "four"}; !slices.Equal(got, want) {
		t.Errorf("claimed turns %q, want %q: once each, in the order they came", got, want)
	}
	if n := len(turns); n != 0 {
		t.Errorf("%d turns answered twice", n)
	}
	second.claim(t.Context()) // leased to second now: nothing left to claim
	second.wait()
	if n := len(turns); n != 0 {
		t.Errorf("%d turns claimed again while their new lease lasts", n)
	}
}

func TestJournalLoopRenewsAndClaims(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	js := newJournalStore(t, clock)
	dead := &fakeEngine{}
	first := newJournalBot(t, fake, clock, dead, js, nil)
	first.receive(mention("940", "left behind"))
	killed(first, clock)

	eng, turns := submitted()
	second := newJournalBot(t, fake, clock, eng, js, nil)
	ctx, cancel := context.WithCancel(t.Context())
	stop := second.startJournal(ctx)
	defer cancel()
	tr := waitTurn(t, turns) // swept at once
	// Its lease is renewed while the turn runs: no one claims it again.
	for range 4 {
		clock.BlockUntil(2) // the renewal and the next sweep
		clock.Advance(testLease / 3)
	}
	stop()
	third := newJournalBot(t, fake, clock, &fakeEngine{}, js, nil)
	third.claim(t.Context())
	third.wait()
	if n := len(turns); n != 0 {
		t.Errorf("%d turns claimed from a live process", n)
	}
	tr.Ended()
	js.journal.waitDone(t, messageEntry("940"))
}
