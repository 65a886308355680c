package bots

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/llm"
)

func TestAllowList(t *testing.T) {
	tests := []struct {
		name     string
		list     AllowList[int64]
		id       int64
		allows   bool
		contains bool
	}{
		{"zero value is open", AllowList[int64]{}, 7, true, false},
		{"empty is open", NewAllowList[int64](), 7, true, false},
		{"listed", NewAllowList[int64](1, 7), 7, true, true},
		{"not listed", NewAllowList[int64](1, 2), 7, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.list.Allows(tc.id); got != tc.allows {
				t.Errorf("Allows(%d) = %v, want %v", tc.id, got, tc.allows)
			}
			if got := tc.list.Contains(tc.id); got != tc.contains {
				t.Errorf("Contains(%d) = %v, want %v", tc.id, got, tc.contains)
			}
		})
	}
	roles := NewAllowList("mod", "admin")
	if !roles.AllowsAny("user", "mod") || roles.AllowsAny("user") || !NewAllowList[string]().AllowsAny() {
		t.Error("AllowsAny misjudged a member's roles")
	}
	if roles.Len() != 2 {
		t.Errorf("Len = %d, want 2", roles.Len())
	}
}

func TestUserLimits(t *testing.T) {
	clk := botstest.NewFakeClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	u := newUserLimits(2, clk)
	steps := []struct {
		advance time.Duration
		user    string
		want    bool
	}{
		{0, "a", true},
		{0, "a", true},
		{0, "a", false}, // burst of 2 used
		{0, "b", true},  // users are separate
		{30 * time.Second, "a", true},
		{0, "a", false},
	}
	for i, s := range steps {
		clk.Advance(s.advance)
		if got := u.Allow(s.user); got != s.want {
			t.Errorf("step %d: Allow(%s) = %v, want %v", i, s.user, got, s.want)
		}
	}
	clk.Advance(userLimitIdle)
	u.Allow("c")
	if n := u.size(); n != 1 {
		t.Errorf("%d users tracked after they idled, want 1", n)
	}
	var off *userLimits = newUserLimits(0, clk)
	if !off.Allow("a") {
		t.Error("a disabled limit refused a turn")
	}
}

func TestEngineRateLimitsUsers(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("ok") }
	obs := &recObserver{}
	e := newTestEngine(t, Config{UserTurnsPerMin: 1, Observer: obs}, m, newEmbeddedStore(t))
	s := newRecSurface()
	for range 2 {
		if err := e.Submit(context.Background(), turnFor("tg:1", "q", s)); err != nil {
			t.Fatal(err)
		}
	}
	s.WaitText(t, enCatalog().TooFast)
	e.Wait()
	if n := len(m.Requests()); n != 1 {
		t.Errorf("%d model requests, want 1", n)
	}
	if got := obs.Rejected(); !slices.Equal(got, []string{RejectRate}) {
		t.Errorf("rejections %q, want [%s]", got, RejectRate)
	}
}

func TestEngineDailyBudgets(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		// second is the user of the second turn.
		second string
		want   string
	}{
		{"user budget", Config{DailyUserTokens: 10}, "u:1", enCatalog().UserBudget},
		{"chat budget", Config{DailyChatTokens: 10}, "u:2", enCatalog().ChatBudget},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newFakeModel()
			m.Auto = func(llm.Request) []step { return answerSteps("ok") } // 15 tokens
			store := newRedisStore(t)
			e := newTestEngine(t, tc.cfg, m, store)
			s := newRecSurface()
			first := turnFor("tg:1", "q1", s)
			first.User = "u:1"
			if err := e.Submit(context.Background(), first); err != nil {
				t.Fatal(err)
			}
			e.Wait()
			second := turnFor("tg:1", "q2", s)
			second.User = tc.second
			if err := e.Submit(context.Background(), second); err != nil {
				t.Fatal(err)
			}
			s.WaitText(t, tc.want)
			e.Wait()
			if n := len(m.Requests()); n != 1 {
				t.Errorf("%d model requests, want 1", n)
			}
			if n := len(loadTurns(t, store, "tg:1")); n != 1 {
				t.Errorf("%d turns stored, want 1", n)
			}
			other := turnFor("tg:2", "q3", s)
			other.User = "u:3"
			if err := e.Submit(context.Background(), other); err != nil {
				t.Fatal(err)
			}
			e.Wait()
			if n := len(m.Requests()); n != 2 {
				t.Errorf("another user in another chat was refused too")
			}
		})
	}
}

func TestCounterKeysChangeWithTheUTCDay(t *testing.T) {
	late := time.Date(2025, 6, 1, 23, 59, 0, 0, time.FixedZone("UTC+8", 8*3600))
	if got, want := counterKey("user", "tg:1", late), "tokens:user:20250601:tg:1"; got != want {
		t.Errorf("counterKey = %q, want %q", got, want)
	}
	if counterKey("chat", "x", late) == counterKey("chat", "x", late.Add(24*time.Hour)) {
		t.Error("counter key did not change with the day")
	}
}

func TestSubmitRejectsInvalidTurns(t *testing.T) {
	cat := enCatalog()
	big := Upload{Data: make([]byte, 2<<20), MIME: "image/png"}
	tests := []struct {
		name string
		turn func(s Surface) Turn
		want string
	}{
		{"empty", func(s Surface) Turn { return turnFor("tg:1", "", s) }, cat.Empty},
		{"too long", func(s Surface) Turn { return turnFor("tg:1", string(make([]rune, 11)), s) }, "at most 10 characters"},
		{"too many images", func(s Surface) Turn {
			t := turnFor("tg:1", "q", s)
			t.Images = []Upload{{}, {}, {}}
			return t
		}, "at most 2 per message"},
		{"image too big", func(s Surface) Turn {
			t := turnFor("tg:1", "q", s)
			t.Images = []Upload{big}
			return t
		}, "at most 1 MB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := newFakeModel()
			e := newTestEngine(t, Config{MaxPromptChars: 10, MaxImages: 2, MaxImageBytes: 1 << 20}, m, newEmbeddedStore(t))
			s := newRecSurface()
			if err := e.Submit(context.Background(), tc.turn(s)); err != nil {
				t.Fatalf("Submit = %v, want nil (the user is told)", err)
			}
			s.WaitText(t, tc.want)
			e.Wait()
			if n := len(m.Requests()); n != 0 {
				t.Errorf("%d model requests, want 0", n)
			}
		})
	}
	e := newTestEngine(t, Config{}, newFakeModel(), newEmbeddedStore(t))
	if err := e.Submit(context.Background(), Turn{Chat: "tg:1", Text: "no surface"}); err == nil {
		t.Error("Submit accepted a turn without a surface")
	}
}

func TestNoticesDoNotPileUp(t *testing.T) {
	e := newTestEngine(t, Config{}, newFakeModel(), newEmbeddedStore(t))
	s := newRecSurface()
	release := make(chan struct{})
	s.SendErr = func(context.Context, Outgoing) error {
		<-release
		return nil
	}
	for range 20 {
		if err := e.Submit(context.Background(), turnFor("tg:1", "", s)); err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	e.Wait()
	if got := s.Texts(); len(got) != 1 || got[0] != enCatalog().Empty {
		t.Errorf("notices %q, want one while the first was pending", got)
	}
}
