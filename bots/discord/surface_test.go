package discord

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

// askTurn starts an /ask by who and returns its turn.
func askTurn(t *testing.T, b *Bot, fake *dctest.Server, eng *fakeEngine, who dctest.Invoker) bots.Turn {
	t.Helper()
	b.interact(fake.Command(who, "ask", dctest.String("prompt", "hi")))
	ts := eng.Turns()
	if len(ts) == 0 {
		t.Fatal("no turn submitted")
	}
	return ts[len(ts)-1]
}

func TestRateLimitedEditsReturnRetryAfter(t *testing.T) {
	tests := []struct {
		name  string
		start func(t *testing.T, b *Bot, fake *dctest.Server, eng *fakeEngine) bots.Turn
		path  string
	}{
		{"interaction edit", func(t *testing.T, b *Bot, fake *dctest.Server, eng *fakeEngine) bots.Turn {
			return askTurn(t, b, fake, eng, guildUser)
		}, "/webhooks/"},
		{"channel edit", func(t *testing.T, b *Bot, fake *dctest.Server, eng *fakeEngine) bots.Turn {
			b.receive(mention("10", "hi"))
			return eng.onlyTurn(t)
		}, "/channels/c1/messages/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng := &fakeEngine{}
			b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
			tr := tt.start(t, b, fake, eng)
			ref, err := tr.Surface.Send(t.Context(), bots.Outgoing{Text: "a", ReplyTo: tr.ReplyTo})
			if err != nil {
				t.Fatal(err)
			}
			before := countPatches(fake, tt.path)
			fake.Inject(dctest.RateLimit(http.MethodPatch, tt.path, 1.5))
			err = tr.Surface.Edit(t.Context(), ref, out("ab"))
			var ra *bots.RetryAfterError
			if !errors.As(err, &ra) || ra.After != 1500*time.Millisecond {
				t.Fatalf("Edit error = %v, want RetryAfterError of 1.5s", err)
			}
			if n := countPatches(fake, tt.path) - before; n != 1 {
				t.Errorf("%d PATCH requests, want 1: discordgo must not retry by itself", n)
			}
		})
	}
}

// countPatches counts PATCH requests under path.
func countPatches(fake *dctest.Server, path string) int {
	n := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodPatch && strings.HasPrefix(r.Path, path) {
			n++
		}
	}
	return n
}

func TestSurfaceErrors(t *testing.T) {
	long := strings.Repeat("é", 2001)
	tests := []struct {
		name  string
		fault func(tr bots.Turn) dctest.Fault
		text  string
		want  error
	}{
		{"too long", nil, long, bots.ErrTooLong},
		{"unknown message", func(bots.Turn) dctest.Fault {
			return dctest.Error(http.MethodPatch, "/channels/", http.StatusNotFound, 10008, "Unknown Message")
		}, "x", bots.ErrGone},
		{"missing permissions", func(bots.Turn) dctest.Fault {
			return dctest.Error(http.MethodPatch, "/channels/", http.StatusForbidden, 50013, "Missing Permissions")
		}, "x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng := &fakeEngine{}
			b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
			b.receive(mention("10", "hi"))
			tr := eng.onlyTurn(t)
			ref, err := tr.Surface.Send(t.Context(), out("a"))
			if err != nil {
				t.Fatal(err)
			}
			if tt.fault != nil {
				fake.Inject(tt.fault(tr))
			}
			err = tr.Surface.Edit(t.Context(), ref, out(tt.text))
			switch {
			case err == nil:
				t.Fatal("Edit succeeded")
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("Edit error = %v, want %v", err, tt.want)
			case tt.want == nil && (errors.Is(err, bots.ErrGone) || errors.Is(err, bots.ErrTooLong)):
				t.Errorf("Edit error = %v, want a plain error", err)
			}
		})
	}
}

func TestInteractionTokenFallbackAfter14Minutes(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	clock := botstest.NewFakeClock(epoch)
	b := newTestBot(t, fake, testConfig(fake, clock), eng)
	tr := askTurn(t, b, fake, eng, guildUser)
	ctx := t.Context()
	ref, err := tr.Surface.Send(ctx, out("part one"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Surface.Typing(ctx); err != nil || fake.Typing("c1") != 0 {
		t.Fatalf("Typing while deferred: err %v, %d channel typings", err, fake.Typing("c1"))
	}
	clock.Advance(13 * time.Minute)
	if err := tr.Surface.Edit(ctx, ref, out("part one.")); err != nil {
		t.Fatalf("Edit at 13 minutes: %v", err)
	}
	clock.Advance(time.Minute)
	before := len(fake.Requests())
	if err := tr.Surface.Edit(ctx, ref, out("part one, more")); !errors.Is(err, bots.ErrGone) {
		t.Fatalf("Edit at 14 minutes = %v, want ErrGone", err)
	}
	if len(fake.Requests()) != before {
		t.Error("Edit used the expired token")
	}
	next, err := tr.Surface.Send(ctx, out("part one, more"))
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Surface.Edit(ctx, next, out("part one, more and more")); err != nil {
		t.Fatal(err)
	}
	if err := tr.Surface.Typing(ctx); err != nil || fake.Typing("c1") != 1 {
		t.Errorf("Typing after expiry: err %v, %d channel typings", err, fake.Typing("c1"))
	}
	msgs := fake.Messages()
	if len(msgs) != 2 || msgs[1].Kind != dctest.KindChannel || msgs[1].ChannelID != "c1" ||
		msgs[1].ReplyTo != msgs[0].ID || msgs[1].Content != "part one, more and more" {
		t.Fatalf("messages = %+v, want a channel message replying to the original", msgs)
	}
}

func TestInteractionTokenRejected(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	tr := askTurn(t, b, fake, eng, guildUser)
	ctx := t.Context()
	ref, err := tr.Surface.Send(ctx, out("one"))
	if err != nil {
		t.Fatal(err)
	}
	fake.ExpireToken(fake.Callbacks()[0].Token)
	err = tr.Surface.Edit(ctx, ref, out("two"))
	if !errors.Is(err, bots.ErrGone) {
		t.Fatalf("Edit = %v, want ErrGone", err)
	}
	if strings.Contains(err.Error(), fake.Callbacks()[0].Token) {
		t.Errorf("error shows the interaction token: %v", err)
	}
	if _, err := tr.Surface.Send(ctx, out("two")); err != nil {
		t.Fatal(err)
	}
	if m := fake.Messages(); len(m) != 2 || m[1].Kind != dctest.KindChannel {
		t.Errorf("messages = %+v, want the reply continued in the channel", m)
	}
}

func TestExpiredTokenOnFirstSendFallsBackToChannel(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	tr := askTurn(t, b, fake, eng, dmUser)
	fake.ExpireToken(fake.Callbacks()[0].Token)
	if _, err := tr.Surface.Send(t.Context(), out("answer")); err != nil {
		t.Fatal(err)
	}
	m := fake.Messages()
	if last := m[len(m)-1]; last.Kind != dctest.KindChannel || last.ChannelID != "d2" || last.Content != "answer" {
		t.Errorf("messages = %+v", m)
	}
}

func TestInteractionsHaveTheirOwnBuckets(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	a := askTurn(t, b, fake, eng, guildUser)
	c := askTurn(t, b, fake, eng, dmUser)
	sa, sc := a.Surface.(*interactionSurface), c.Surface.(*interactionSurface)
	if sa.bucket == sc.bucket || sa.bucket.Key == sc.bucket.Key {
		t.Fatalf("interactions share bucket %q", sa.bucket.Key)
	}
	ctx := t.Context()
	refA, err := a.Surface.Send(ctx, out("a"))
	if err != nil {
		t.Fatal(err)
	}
	refC, err := c.Surface.Send(ctx, out("c"))
	if err != nil {
		t.Fatal(err)
	}
	// Hold A's next edit at the server; C's edit must not wait for it.
	release := make(chan struct{})
	released := false
	t.Cleanup(func() {
		if !released {
			close(release)
		}
	})
	fake.Inject(dctest.Fault{Method: http.MethodPatch, Path: "/webhooks/" + dctest.AppID + "/" + sa.token + "/", Hold: release})
	doneA := make(chan error, 1)
	go func() { doneA <- a.Surface.Edit(ctx, refA, out("a2")) }()
	fake.WaitFor(t, "A's edit to arrive", func() bool { return countPatches(fake, "/webhooks/"+dctest.AppID+"/"+sa.token) == 2 })
	doneC := make(chan error, 1)
	go func() { doneC <- c.Surface.Edit(ctx, refC, out("c2")) }()
	select {
	case err := <-doneC:
		if err != nil {
			t.Fatalf("C's edit: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("C's edit waited for A's held edit: the interactions share a bucket")
	}
	select {
	case err := <-doneA:
		t.Fatalf("A's held edit returned early: %v", err)
	default:
	}
	released = true
	close(release)
	if err := <-doneA; err != nil {
		t.Fatalf("A's edit: %v", err)
	}
}
