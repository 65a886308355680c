package discord

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots/botstest"
)

func TestTargets(t *testing.T) {
	clock := botstest.NewFakeClock(epoch)
	var fetched []string
	ts := &targets{clock: clock, m: map[string]target{},
		fetch: func(_ context.Context, channel, id string) (*discordgo.Message, error) {
			fetched = append(fetched, channel+"/"+id)
			return nil, errors.New("not found")
		}}
	ts.put("c1", &discordgo.Message{ID: "m1"})
	if m, err := ts.get(t.Context(), "c1", "m1"); err != nil || m.ID != "m1" {
		t.Fatalf("get = %v, %v; want the remembered message", m, err)
	}
	if _, err := ts.get(t.Context(), "c2", "m1"); err == nil {
		t.Error("found a message of another channel")
	}
	clock.Advance(targetTTL)
	if _, err := ts.get(t.Context(), "c1", "m1"); err == nil {
		t.Error("found a message after its time")
	}
	if want := []string{"c2/m1", "c1/m1"}; len(fetched) != 2 || fetched[0] != want[0] || fetched[1] != want[1] {
		t.Errorf("fetched %v, want %v", fetched, want)
	}
	for n := range maxTargets + 1 {
		ts.put("c1", &discordgo.Message{ID: strconv.Itoa(n)})
		clock.Advance(time.Millisecond)
	}
	if len(ts.m) != maxTargets {
		t.Errorf("%d remembered, want at most %d", len(ts.m), maxTargets)
	}
	if _, ok := ts.m["c1/0"]; ok {
		t.Error("the oldest was kept when full")
	}
}
