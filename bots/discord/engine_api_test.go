package discord

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
)

func TestStopButtonCustomID(t *testing.T) {
	tests := []struct {
		name   string
		stopID string
		want   string
	}{
		{"turn id", "k3x9-17", "qwenbot:stop:k3x9-17"},
		{"no id", "", "qwenbot:stop"},
		{"id too long for a custom id", strings.Repeat("x", maxCustomID), "qwenbot:stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), &fakeEngine{})
			s := b.channelSurface("c1")
			if _, err := s.Send(t.Context(), bots.Outgoing{Text: "…", StopButton: true, StopID: tt.stopID}); err != nil {
				t.Fatal(err)
			}
			if got := sentCustomID(t, fake); got != tt.want {
				t.Errorf("custom_id = %q, want %q", got, tt.want)
			}
			if id, ok := parseStopCustomID(tt.want); !ok || (tt.want != stopButtonID && id != tt.stopID) {
				t.Errorf("parseStopCustomID(%q) = %q, %v", tt.want, id, ok)
			}
		})
	}
}

// sentCustomID returns the custom id of the button of the first message
// sent to the fake.
func sentCustomID(t *testing.T, fake *dctest.Server) string {
	t.Helper()
	for _, r := range fake.Requests() {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.Path, "/messages") {
			continue
		}
		var body struct {
			Components []struct {
				Components []struct {
					CustomID string `json:"custom_id"`
				} `json:"components"`
			} `json:"components"`
		}
		if err := json.Unmarshal(r.Body, &body); err != nil || len(body.Components) == 0 || len(body.Components[0].Components) == 0 {
			t.Fatalf("message body %s has no button (%v)", r.Body, err)
		}
		return body.Components[0].Components[0].CustomID
	}
	t.Fatal("no message sent")
	return ""
}

func TestStopButtonClicks(t *testing.T) {
	tests := []struct {
		name     string
		customID string
		want     []string
	}{
		{"button of a turn", "qwenbot:stop:k3x9-17", []string{"dc:g1:c1/k3x9-17"}},
		{"old bare button", "qwenbot:stop", []string{"dc:g1:c1/"}},
		{"empty turn id", "qwenbot:stop:", nil},
		{"foreign button", "other:button", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := dctest.New(t)
			eng := &fakeEngine{}
			b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
			b.interact(fake.StopClick(guildUser, tt.customID))
			if got := eng.Stops(); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("stops = %v, want %v", got, tt.want)
			}
			wantCallbacks := 0
			if tt.want != nil {
				wantCallbacks = 1
			}
			if cb := fake.Callbacks(); len(cb) != wantCallbacks {
				t.Errorf("callbacks = %+v, want %d", cb, wantCallbacks)
			}
		})
	}
}

func TestMessageNotesGoThroughTheEngine(t *testing.T) {
	fake := dctest.New(t)
	eng := &fakeEngine{}
	b := newTestBot(t, fake, testConfig(fake, botstest.NewFakeClock(epoch)), eng)
	m := mention("500", "look")
	m.Attachments = []*discordgo.MessageAttachment{{ID: "9", Filename: "gone.png", ContentType: "image/png",
		URL: fake.URL() + "/attachments/9/gone.png"}}
	b.receive(m)
	n := eng.Notices()
	if len(n) != 1 || n[0].Chat != "dc:g1:c1" || n[0].ReplyTo != makeRef(kindChannel, "500") || !strings.Contains(n[0].Text, "gone.png") {
		t.Errorf("notices = %+v, want one about gone.png replying to the message", n)
	}
}
