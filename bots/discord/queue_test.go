package discord

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

// recordingEngine returns an engine recording the order of submitted turn
// texts.
func recordingEngine() (*fakeEngine, chan string) {
	texts := make(chan string, 2*maxInFlight)
	return &fakeEngine{submit: func(_ context.Context, t bots.Turn) error { texts <- t.Text; return nil }}, texts
}

func TestChannelOrderSurvivesSlowDownload(t *testing.T) {
	fake := dctest.New(t)
	eng, texts := recordingEngine()
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	release := make(chan struct{})
	fake.Inject(dctest.Fault{Method: http.MethodGet, Path: "/attachments/", Hold: release})
	photo := mention("1", "solve this")
	photo.Attachments = []*discordgo.MessageAttachment{fake.AddAttachment("p.png", "image/png", pngBytes)}

	b.onMessageCreate(b.sess, &discordgo.MessageCreate{Message: photo})
	fake.WaitFor(t, "the photo's download", func() bool { return fake.PendingFaults() == 0 })
	b.onMessageCreate(b.sess, &discordgo.MessageCreate{Message: mention("2", "and this?")})
	i := fake.Command(guildUser, "ask", dctest.String("prompt", "third"))
	b.onInteractionCreate(b.sess, &discordgo.InteractionCreate{Interaction: i})
	fake.WaitFor(t, "the deferral while the channel is busy", func() bool { return len(fake.Callbacks()) == 1 })
	select {
	case got := <-texts:
		t.Fatalf("%q submitted while the photo before it was downloading", got)
	default:
	}
	close(release)
	b.wait()
	close(texts)
	var order []string
	for s := range texts {
		order = append(order, s)
	}
	if want := []string{"solve this", "and this?", "third"}; !slices.Equal(order, want) {
		t.Errorf("submitted %q, want %q", order, want)
	}
}

func TestInteractionAnsweredWhileSlotsAreFull(t *testing.T) {
	fake := dctest.New(t)
	eng, texts := recordingEngine()
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	release := make(chan struct{})
	fake.Inject(dctest.Fault{Method: http.MethodGet, Path: "/attachments/", Hold: release, Times: maxInFlight})
	att := fake.AddAttachment("p.png", "image/png", pngBytes)
	for n := range maxInFlight {
		m := mention(strconv.Itoa(100+n), "slow")
		m.ChannelID = "busy" + string(rune('a'+n%26)) + string(rune('a'+n/26))
		m.Attachments = []*discordgo.MessageAttachment{att}
		b.onMessageCreate(b.sess, &discordgo.MessageCreate{Message: m})
	}
	fake.WaitFor(t, "every slot busy downloading", func() bool { return fake.PendingFaults() == 0 })

	i := fake.Command(dmUser, "ask", dctest.String("prompt", "quick"))
	b.onInteractionCreate(b.sess, &discordgo.InteractionCreate{Interaction: i})
	fake.WaitFor(t, "the deferral with every slot busy", func() bool { return len(fake.Callbacks()) == 1 })
	if cb := fake.Callbacks(); cb[0].Type != 5 || cb[0].Token != i.Token {
		t.Errorf("callbacks = %+v, want the deferral", cb)
	}
	close(release)
	b.wait()
	if n := len(texts); n != maxInFlight+1 {
		t.Errorf("%d turns submitted, want %d", n, maxInFlight+1)
	}
}

func TestDownloadTimeoutFreesTheChannel(t *testing.T) {
	fake := dctest.New(t)
	eng, texts := recordingEngine()
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	b.downloadsTimeout = 50 * time.Millisecond
	hang := make(chan struct{})
	defer close(hang)
	fake.Inject(dctest.Fault{Method: http.MethodGet, Path: "/attachments/", Hold: hang})
	m := mention("1", "look")
	m.Attachments = []*discordgo.MessageAttachment{fake.AddAttachment("p.png", "image/png", pngBytes)}
	b.onMessageCreate(b.sess, &discordgo.MessageCreate{Message: m})
	b.onMessageCreate(b.sess, &discordgo.MessageCreate{Message: mention("2", "next")})
	b.wait()
	if got := <-texts; got != "look" {
		t.Errorf("first turn %q, want the one whose download timed out", got)
	}
	if got := <-texts; got != "next" {
		t.Errorf("second turn %q, want the next message", got)
	}
}
