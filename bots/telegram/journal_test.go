package telegram

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// fakeJournal records entries in memory; claims hands out what the test
// queued in it.
type fakeJournal struct {
	mu      sync.Mutex
	entries map[string][]byte
	done    []string
	renewed [][]string
	claims  chan [2]string // id, data
	changed chan struct{}
}

var _ Journal = (*fakeJournal)(nil)

// journaled returns a harness whose bot journals in a fake journal.
func journaled(t *testing.T, cfg Config) (*harness, *fakeJournal) {
	t.Helper()
	h := newHarness(t, cfg)
	j := newFakeJournal()
	h.bot.UseJournal(j, time.Minute)
	return h, j
}

func newFakeJournal() *fakeJournal {
	return &fakeJournal{entries: map[string][]byte{}, claims: make(chan [2]string, 4), changed: make(chan struct{}, 64)}
}

func (j *fakeJournal) Record(_ context.Context, id string, data []byte) (bool, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, ok := j.entries[id]; ok {
		return false, nil
	}
	j.entries[id] = data
	return true, nil
}

func (j *fakeJournal) Renew(_ context.Context, ids ...string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.renewed = append(j.renewed, ids)
	return nil
}

// lastRenewed returns the ids of the last Renew.
func (j *fakeJournal) lastRenewed() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.renewed) == 0 {
		return nil
	}
	return j.renewed[len(j.renewed)-1]
}

func (j *fakeJournal) Done(_ context.Context, ids ...string) error {
	j.mu.Lock()
	for _, id := range ids {
		delete(j.entries, id)
		j.done = append(j.done, id)
	}
	j.mu.Unlock()
	j.changed <- struct{}{}
	return nil
}

func (j *fakeJournal) Claim(context.Context, int) ([]string, [][]byte, error) {
	select {
	case c := <-j.claims:
		return []string{c[0]}, [][]byte{[]byte(c[1])}, nil
	default:
		return nil, nil, nil
	}
}

// has reports whether id is recorded.
func (j *fakeJournal) has(id string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, ok := j.entries[id]
	return ok
}

// waitDone waits until id was ended.
func (j *fakeJournal) waitDone(t *testing.T, id string) {
	t.Helper()
	for {
		j.mu.Lock()
		ok := slices.Contains(j.done, id)
		j.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-j.changed:
		case <-time.After(waitTimeout):
			t.Fatalf("journal entry %s never ended", id)
		}
	}
}

func TestJournaledUpdatesEndWhenTheirTurnEnds(t *testing.T) {
	h, j := journaled(t, webhookConfig())
	handler := h.bot.webhookHandler(context.Background())
	alicePrivate := tgtest.PrivateChat(alice())
	if code := post(t, handler, "s3cret", h.srv.Update(5, tgtest.Message{Chat: alicePrivate, From: alice(), Text: "a question"})); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if !j.has("5") {
		t.Fatal("update 5 acknowledged without a journal record")
	}
	tn := h.nextTurn(t)
	if tn.Ended == nil {
		t.Fatal("the turn has no Ended hook")
	}
	if !j.has("5") {
		t.Error("update 5's record ended before its turn did")
	}
	tn.Ended()
	j.waitDone(t, "5")

	// An update the bot ignores ends at once.
	group := tgtest.GroupChat(-100)
	post(t, handler, "s3cret", h.srv.Update(6, tgtest.Message{Chat: group, From: alice(), Text: "chatter"}))
	j.waitDone(t, "6")
	h.bot.queue.Close()
}

func TestTurnsOfADeadProcessAreTakenOver(t *testing.T) {
	h, j := journaled(t, Config{})
	// Another process recorded update 41 and died before answering it.
	raw := string(h.srv.Update(41, tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "left behind"}))
	j.claims <- [2]string{"41", raw}
	h.run(t)
	tn := h.nextTurn(t)
	if tn.Text != "left behind" {
		t.Fatalf("turn %q, want the claimed one", tn.Text)
	}
	tn.Ended()
	j.waitDone(t, "41")
}

func TestATurnRefusedAtShutdownIsLeftForTheNextProcess(t *testing.T) {
	h, j := journaled(t, webhookConfig())
	submitted := make(chan struct{})
	h.eng.submit = func(context.Context, bots.Turn) error { close(submitted); return bots.ErrShuttingDown }
	handler := h.bot.webhookHandler(context.Background())
	post(t, handler, "s3cret", h.srv.Update(7, tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "too late"}))
	<-submitted
	h.bot.queue.Close() // waits for the job
	if !j.has("7") {
		t.Error("the record of a turn the engine refused at shutdown was ended; the next process will not answer it")
	}
}

func TestATurnTheEngineRefusesEndsItsRecord(t *testing.T) {
	h, j := journaled(t, webhookConfig())
	h.eng.submit = func(context.Context, bots.Turn) error { return errors.New("turn has no surface") }
	handler := h.bot.webhookHandler(context.Background())
	post(t, handler, "s3cret", h.srv.Update(8, tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "refused"}))
	j.waitDone(t, "8")
	h.bot.queue.Close()
}
