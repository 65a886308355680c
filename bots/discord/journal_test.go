package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestEndpointJournalsAnInteractionBeforeItsResponse(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	js := newJournalStore(t, clock)
	eng, turns := submitted()
	b := newJournalBot(t, fake, clock, eng, js, nil)
	i := askAt(fake, "hi", epoch)
	body, err := dctest.MarshalInteraction(i)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	js.journal.onRecord = func(string) {
		if rec.Body.Len() != 0 || rec.Flushed {
			t.Error("the interaction was answered before it was journaled")
		}
	}
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/", bytes.NewReader(body))
	req.Header = fake.Sign(body, epoch)
	b.InteractionsHandler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"type":5`) {
		t.Fatalf("response %d %s, want the deferral", rec.Code, rec.Body)
	}
	id := interactionEntry(i.ID)
	if !js.journal.has(t, id) {
		t.Fatal("interaction deferred without a journal record")
	}
	tr := waitTurn(t, turns)
	if tr.Ended == nil || !tr.Resumable {
		t.Fatalf("turn: Ended set %v, Resumable %v; want a journaled turn", tr.Ended != nil, tr.Resumable)
	}
	if !js.journal.has(t, id) {
		t.Error("the record ended before its turn did")
	}
	tr.Ended()
	js.journal.waitDone(t, id)
	if js.journal.has(t, id) {
		t.Error("the record outlived its turn")
	}
}

func TestGatewayJournalsBeforeAcknowledging(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	js := newJournalStore(t, clock)
	eng := &fakeEngine{}
	b := newJournalBot(t, fake, clock, eng, js, nil)
	js.journal.onRecord = func(id string) {
		for _, cb := range fake.Callbacks() {
			if interactionEntry(cb.InteractionID) == id {
				t.Errorf("interaction %s deferred before it was journaled", id)
			}
		}
	}

	t.Run("interaction", func(t *testing.T) {
		i := askAt(fake, "hi", epoch)
		b.interact(i)
		if cb := fake.Callbacks(); len(cb) != 1 || cb[0].Type != 5 {
			t.Fatalf("callbacks %+v, want one deferral", cb)
		}
		tr := eng.onlyTurn(t)
		id := interactionEntry(i.ID)
		if !js.journal.has(t, id) || !tr.Resumable {
			t.Fatalf("recorded %v, resumable %v; want a journaled turn", js.journal.has(t, id), tr.Resumable)
		}
		tr.Ended()
		js.journal.waitDone(t, id)
	})
	t.Run("message", func(t *testing.T) {
		b.receive(mention("900", "what is this?"))
		ts := eng.Turns()
		tr := ts[len(ts)-1]
		if !js.journal.has(t, messageEntry("900")) || !tr.Resumable {
			t.Fatal("a mention was queued without a journal record")
		}
		tr.Ended()
		js.journal.waitDone(t, messageEntry("900"))
	})
	t.Run("command ends with its job", func(t *testing.T) {
		i := fake.Command(guildUser, cmdReset)
		b.interact(i)
		js.journal.waitDone(t, interactionEntry(i.ID))
	})
	t.Run("refusal not journaled", func(t *testing.T) {
		i := fake.Command(dctest.Invoker{Guild: "g9", Channel: "c9", User: "u9", Username: "eve"}, "ask", dctest.String("prompt", "hi"))
		b.policy = newPolicy(Config{AllowedGuilds: []string{"g1"}})
		defer func() { b.policy = newPolicy(testConfig(fake, clock)) }()
		b.interact(i)
		if js.journal.has(t, interactionEntry(i.ID)) {
			t.Error("an interaction refused in its response was journaled")
		}
	})
	t.Run("message seen already ends at once", func(t *testing.T) {
		m := mention("901", "again?")
		if first, _ := js.store.Seen(t.Context(), "dc:"+seenMessage+":"+dctest.BotID+":901", replayWindow); !first {
			t.Fatal("Seen")
		}
		before := len(eng.Turns())
		b.receive(m)
		js.journal.waitDone(t, messageEntry("901"))
		if len(eng.Turns()) != before {
			t.Error("a message handled already was answered again")
		}
	})
}

func TestATurnRefusedAtShutdownKeepsItsRecord(t *testing.T) {
	fake := dctest.New(t)
	clock := botstest.NewFakeClock(epoch)
	js := newJournalStore(t, clock)
	eng := &fakeEngine{submit: func(context.Context, bots.Turn) error { return bots.ErrShuttingDown }}
	b := newJournalBot(t, fake, clock, eng, js, nil)
	b.receive(mention("910", "too late"))
	if !js.journal.has(t, messageEntry("910")) {
		t.Error("the record of a turn the engine refused at shutdown was ended; the next process will not answer it")
	}
	if n := eng.Notices(); len(n) != 0 {
		t.Errorf("notices %+v: a journaled turn is answered by the next process, not told to come back", n)
	}

	eng.submit = func(context.Context, bots.Turn) error { return errors.New("turn has no surface") }
	b.receive(mention("911", "refused"))
	js.journal.waitDone(t, messageEntry("911"))
}

func TestInteractionJSONKeepsAModalsInputs(t *testing.T) {
	fake := dctest.New(t)
	i := fake.ModalSubmit(guildUser, explainModalPrefix+"55", map[string]string{explainInputID: "why?"})
	raw, err := interactionJSON(i)
	if err != nil {
		t.Fatal(err)
	}
	var back discordgo.Interaction
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	d := back.ModalSubmitData()
	if d.CustomID != explainModalPrefix+"55" || modalValue(d, explainInputID) != "why?" {
		t.Errorf("modal decoded as %q with %q, want its custom id and typed text", d.CustomID, modalValue(d, explainInputID))
	}
}
