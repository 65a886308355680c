package bots

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/qwenbot/qwenbot/llm"
)

// runCommand runs c on e and returns the single reply.
func runCommand(t *testing.T, e *Engine, c Command) string {
	t.Helper()
	s := newRecSurface()
	// Each command is a message of its own.
	c.Surface, c.ReplyTo = s, MessageRef{ID: fmt.Sprintf("cmd-%p", s)}
	if c.Chat == "" {
		c.Chat = "tg:1"
	}
	if err := e.Command(context.Background(), c); err != nil {
		t.Fatalf("command %s %q: %v", c.Name, c.Args, err)
	}
	s.WaitFor(t, "the command's answer", func(texts []string) bool { return len(texts) > 0 })
	msgs := s.Messages()
	if len(msgs) != 1 || msgs[0].Out.ReplyTo != c.ReplyTo || msgs[0].Out.Format != FormatPlain {
		t.Fatalf("command %s replied %+v, want one plain reply to the command", c.Name, msgs)
	}
	return msgs[0].Out.Text
}

func TestCommands(t *testing.T) {
	en := enCatalog()
	admin := Sender{ID: "9", Name: "Op", Admin: true}
	tests := []struct {
		name  string
		cmds  []Command
		want  string // in the last reply
		check func(t *testing.T, e *Engine)
	}{
		{name: "help lists commands and settings", cmds: []Command{{Name: CmdHelp}}, want: en.CommandsTelegram + "\n\n" + en.SettingsTitle},
		{name: "start greets with help", cmds: []Command{{Name: CmdStart}}, want: en.Start + "\n\n" + en.HelpPrivate},
		{name: "unknown says so, then helps", cmds: []Command{{Name: "frobnicate"}}, want: en.UnknownCommand + "\n\n" + en.HelpPrivate},
		{name: "think shows default", cmds: []Command{{Name: CmdThink}}, want: en.ThinkOff},
		{name: "think on", cmds: []Command{{Name: CmdThink, Args: "on"}, {Name: CmdThink}}, want: en.ThinkOn},
		{name: "think off", cmds: []Command{{Name: CmdThink, Args: "on"}, {Name: CmdThink, Args: " OFF "}}, want: en.ThinkOff, check: func(t *testing.T, e *Engine) {
			s, _ := e.store.Settings(context.Background(), "tg:1")
			if s.Thinking == nil || *s.Thinking {
				t.Errorf("thinking setting %v, want stored off", s.Thinking)
			}
		}},
		{name: "think bad argument", cmds: []Command{{Name: CmdThink, Args: "maybe"}}, want: en.ThinkUsage},
		{name: "stop with nothing running", cmds: []Command{{Name: CmdStop}}, want: en.StopNone},
		{name: "system needs admin", cmds: []Command{{Name: CmdSystem, Args: "Be terse."}}, want: en.AdminOnly, check: func(t *testing.T, e *Engine) {
			if s, _ := e.store.Settings(context.Background(), "tg:1"); s.SystemPrompt != "" {
				t.Errorf("non-admin set the system prompt to %q", s.SystemPrompt)
			}
		}},
		{name: "system set and show", cmds: []Command{{Name: CmdSystem, Args: "Be terse.", Sender: admin}, {Name: CmdSystem, Sender: admin}}, want: "Be terse."},
		{name: "system reset", cmds: []Command{{Name: CmdSystem, Args: "Be terse.", Sender: admin}, {Name: CmdSystem, Args: "reset", Sender: admin}}, want: en.SystemCleared},
		{name: "system default", cmds: []Command{{Name: CmdSystem, Sender: admin}}, want: en.SystemNone},
		{name: "reset clears history", cmds: []Command{{Name: CmdReset}}, want: en.ResetDone, check: func(t *testing.T, e *Engine) {
			if n := len(loadTurns(t, e.store, "tg:1")); n != 0 {
				t.Errorf("%d turns left after reset", n)
			}
		}},
		{name: "new is reset", cmds: []Command{{Name: "new"}}, want: en.ResetDone},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			store := newEmbeddedStore(t)
			if err := store.Append(context.Background(), "tg:1", memoryTurn("q", "a")); err != nil {
				t.Fatal(err)
			}
			e := newTestEngine(t, Config{}, newFakeModel(), store)
			var got string
			for _, c := range tc.cmds {
				got = runCommand(t, e, c)
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("reply %q, want it to contain %q", got, tc.want)
			}
			if tc.check != nil {
				tc.check(t, e)
			}
		})
	}
}

func TestThinkOffOnAThinkingOnlyModel(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			m := newFakeModel()
			m.Info.Thinking = llm.ThinkingAlways
			e := newTestEngine(t, Config{}, m, k.make(t))
			if got := runCommand(t, e, Command{Name: CmdThink, Args: "off"}); got != enCatalog().ThinkAlways {
				t.Errorf("/think off replied %q, want %q", got, enCatalog().ThinkAlways)
			}
			s, err := e.store.Settings(context.Background(), "tg:1")
			if err != nil || s.Thinking != nil {
				t.Errorf("settings %+v (%v), want thinking left unset", s, err)
			}
			if got := runCommand(t, e, Command{Name: CmdThink}); !strings.Contains(got, enCatalog().ThinkAlways) {
				t.Errorf("/think replied %q, want it to say the model always thinks", got)
			}
		})
	}
}

func TestThinkSettingAppliesToTurns(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			m := newFakeModel()
			m.Auto = func(llm.Request) []step { return answerSteps("ok") }
			e := newTestEngine(t, Config{}, m, k.make(t))
			runCommand(t, e, Command{Name: CmdThink, Args: "on"})
			s := newRecSurface()
			off := false
			for _, think := range []*bool{nil, &off} {
				turn := turnFor("tg:1", "q", s)
				turn.Think = think
				if err := e.Submit(context.Background(), turn); err != nil {
					t.Fatal(err)
				}
				e.Wait()
			}
			reqs := m.Requests()
			if !reqs[0].Thinking || reqs[1].Thinking {
				t.Errorf("thinking per request %v %v, want the chat's on, then the turn's override off", reqs[0].Thinking, reqs[1].Thinking)
			}
		})
	}
}

func TestStopCommandStopsTheRunningTurn(t *testing.T) {
	m := newFakeModel()
	e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
	s := newRecSurface()
	if err := e.Submit(context.Background(), turnFor("tg:1", "q", s)); err != nil {
		t.Fatal(err)
	}
	m.Next(t)
	t1 := turnFor("tg:1", "", s)
	if got := runCommand(t, e, Command{Name: CmdStop, User: "u:other", Sender: Sender{ID: "2"}}); got != enCatalog().StopNone {
		t.Errorf("/stop of another member replied %q, want %q: only the asker or an admin stops a turn", got, enCatalog().StopNone)
	}
	if got := runCommand(t, e, Command{Name: CmdStop, User: t1.User, Sender: t1.Sender}); got != enCatalog().StopDone {
		t.Errorf("/stop replied %q, want %q", got, enCatalog().StopDone)
	}
	s.WaitText(t, "⏹ stopped")
	e.Wait()
}

func TestCommandsSpeakTheConfiguredLanguage(t *testing.T) {
	e := newTestEngine(t, Config{Language: "zh"}, newFakeModel(), newEmbeddedStore(t))
	if got := runCommand(t, e, Command{Name: CmdReset}); got != zhCatalog().ResetDone {
		t.Errorf("/reset replied %q, want %q", got, zhCatalog().ResetDone)
	}
}

func TestCommandReturnsWhileTheChatIsPaused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newTestEngine(t, Config{}, newFakeModel(), newEmbeddedStore(t))
		s := newRecSurface()
		e.gate("tg:-100", s.Limits()).Pause(5 * time.Second) // the group got a 429
		done := make(chan error, 1)
		go func() {
			done <- e.Command(t.Context(), Command{Name: CmdHelp, Chat: "tg:-100:7", PaceKey: "tg:-100", Surface: s, Group: true})
		}()
		synctest.Wait()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Command: %v", err)
			}
		default:
			t.Fatal("Command waits for the chat's 429 pause")
		}
		if got := s.Texts(); len(got) != 0 {
			t.Fatalf("answered %q during the pause", got)
		}
		s.WaitText(t, enCatalog().HelpGroup)
	})
}

func TestCommandsCountAgainstTheRateLimitExceptStop(t *testing.T) {
	e := newTestEngine(t, Config{UserTurnsPerMin: 1}, newFakeModel(), newEmbeddedStore(t))
	en := enCatalog()
	for _, tc := range []struct {
		cmd  CommandName
		want string
	}{
		{CmdHelp, en.HelpPrivate},
		{CmdThink, en.TooFast},
		{CmdStop, en.StopNone},
	} {
		got := runCommand(t, e, Command{Name: tc.cmd, User: "tg:5"})
		if !strings.Contains(got, tc.want) {
			t.Errorf("/%s replied %q, want %q", tc.cmd, got, tc.want)
		}
	}
}

func TestResetDuringARunningTurnLeavesNoTurns(t *testing.T) {
	for _, k := range storeKinds() {
		t.Run(k.name, func(t *testing.T) {
			m := newFakeModel()
			store := k.make(t)
			e := newTestEngine(t, Config{}, m, store)
			s := newRecSurface()
			if err := e.Submit(context.Background(), turnFor("tg:1", "first", s)); err != nil {
				t.Fatal(err)
			}
			st := m.Next(t)
			st.Steps <- step{ev: llmAnswer("partial")}
			s.WaitText(t, "partial")
			if err := e.Submit(context.Background(), turnFor("tg:1", "queued", s)); err != nil {
				t.Fatal(err)
			}
			if err := e.Command(context.Background(), Command{Name: CmdReset, Chat: "tg:1", Surface: s}); err != nil {
				t.Fatal(err)
			}
			st.Answer(" and the rest") // too late: the turn was stopped
			s.WaitText(t, enCatalog().ResetDone)
			if n := len(loadTurns(t, store, "tg:1")); n != 0 {
				t.Errorf("%d turns left after /reset, want 0", n)
			}
			next := m.Next(t)
			if got := userTexts(next.Req); !slices.Equal(got, []string{"queued"}) {
				t.Errorf("the queued turn asked %q, want it without the reset history", got)
			}
			next.Answer("fresh")
			e.Wait()
			if turns := loadTurns(t, store, "tg:1"); len(turns) != 1 || turns[0].User != "queued" {
				t.Errorf("stored %+v, want only the turn after the reset", turns)
			}
		})
	}
}

// TestSameNoticeWhileTheFirstIsBeingSent: the same text answering another
// message is sent even while the first is in flight; a true repeat is not.
func TestSameNoticeWhileTheFirstIsBeingSent(t *testing.T) {
	e := newTestEngine(t, Config{}, newFakeModel(), newEmbeddedStore(t))
	s := newRecSurface()
	release := make(chan struct{})
	entered := make(chan struct{}, 2)
	s.SendErr = func(ctx context.Context, out Outgoing) error {
		entered <- struct{}{}
		<-release
		return nil
	}
	e.Notify(context.Background(), "tg:1", "", s, MessageRef{ID: "a"}, "same")
	<-entered                                                                  // the first notice is in flight
	e.Notify(context.Background(), "tg:1", "", s, MessageRef{ID: "a"}, "same") // a repeat
	e.Notify(context.Background(), "tg:1", "", s, MessageRef{ID: "b"}, "same") // another message's answer
	close(release)
	s.WaitFor(t, "both notices", func(texts []string) bool { return len(texts) == 2 })
	e.Wait()
	if msgs := s.Messages(); len(msgs) != 2 || msgs[1].Out.ReplyTo.ID != "b" {
		t.Errorf("sent %+v, want the answers to a and b once each", msgs)
	}
}
