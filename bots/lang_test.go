package bots

import (
	"context"
	"fmt"
	"image/color"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/botstest"
	"github.com/qwenbot/qwenbot/llm"
)

// TestCatalogsHaveEveryMessage: every language fills in every message,
// with the same format verbs as English.
func TestCatalogsHaveEveryMessage(t *testing.T) {
	en := reflect.ValueOf(enCatalog())
	for _, tag := range Languages() {
		c, ok := catalogByTag(tag)
		if !ok {
			t.Errorf("no catalog for %q", tag)
			continue
		}
		if c.Tag != tag {
			t.Errorf("catalog %q says it is %q", tag, c.Tag)
		}
		v := reflect.ValueOf(c)
		for i := range v.NumField() {
			name := v.Type().Field(i).Name
			got, want := v.Field(i).String(), en.Field(i).String()
			if got == "" {
				t.Errorf("%s: %s is missing", tag, name)
			}
			if verbs(got) != verbs(want) {
				t.Errorf("%s: %s has verbs %q, English %q", tag, name, verbs(got), verbs(want))
			}
		}
	}
}

// verbs returns the format verbs of s, in order.
func verbs(s string) string {
	var out []string
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' {
			out = append(out, s[i:i+2])
			i++
		}
	}
	return strings.Join(out, " ")
}

func TestChatLang(t *testing.T) {
	tests := []struct{ setting, user, def, want string }{
		{"", "", "en", "en"},
		{"", "", "zh", "zh"},
		{"", "zh-hans", "en", "zh"},
		{"", "zh-TW", "en", "zh"},
		{"", "fr", "zh", "en"}, // the user's app wins; a language the bot lacks is English
		{"", "en-GB", "zh", "en"},
		{"zh", "en", "en", "zh"}, // the chat's /lang wins
		{"en", "zh-CN", "zh", "en"},
		{"xx", "zh", "en", "zh"}, // an unknown setting is ignored
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s/%s", tc.setting, tc.user, tc.def), func(t *testing.T) {
			if got := chatLang(tc.setting, tc.user, tc.def); got != tc.want {
				t.Errorf("chatLang = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLangCommand(t *testing.T) {
	en, zh := enCatalog(), zhCatalog()
	e := newTestEngine(t, Config{}, newFakeModel(), newEmbeddedStore(t))
	steps := []struct {
		name string
		cmd  Command
		want string // the whole reply, or a part of it after "~"
		lang string // stored
	}{
		{"app language by default", Command{Name: CmdReset, Lang: "zh-hans"}, zh.ResetDone, ""},
		{"english app", Command{Name: CmdReset, Lang: "de"}, en.ResetDone, ""},
		{"show", Command{Name: CmdLang, Lang: "en"}, "~" + fmt.Sprintf(en.SettingsLangAuto, "English"), ""},
		{"set zh", Command{Name: CmdLang, Args: "zh", Lang: "en"}, fmt.Sprintf(zh.LangSet, "中文"), "zh"},
		{"the chat's language wins", Command{Name: CmdReset, Lang: "en"}, zh.ResetDone, "zh"},
		{"bad argument", Command{Name: CmdLang, Args: "klingon", Lang: "en"}, zh.LangUsage, "zh"},
		{"by name", Command{Name: CmdLang, Args: "English"}, fmt.Sprintf(en.LangSet, "English"), "en"},
		{"auto", Command{Name: CmdLang, Args: "auto", Lang: "zh-TW"}, zh.LangAuto, ""},
	}
	for _, st := range steps {
		got := runCommand(t, e, st.cmd)
		if w, part := strings.CutPrefix(st.want, "~"); (part && !strings.Contains(got, w)) || (!part && got != st.want) {
			t.Errorf("%s: replied %q, want %q", st.name, got, st.want)
		}
		if s, err := e.store.Settings(context.Background(), "tg:1"); err != nil || s.Lang != st.lang {
			t.Errorf("%s: stored language %q (%v), want %q", st.name, s.Lang, err, st.lang)
		}
	}
}

// TestRefusalsAndPhotoPromptSpeakTheChatsLanguage: a turn's refusals and
// the question asked about a photo without text follow the sender's app,
// then the chat's /lang.
func TestRefusalsAndPhotoPromptSpeakTheChatsLanguage(t *testing.T) {
	m := newFakeModel()
	m.Auto = func(llm.Request) []step { return answerSteps("ok") }
	e := newTestEngine(t, Config{}, m, newEmbeddedStore(t))
	s := newRecSurface()
	empty := turnFor("tg:1", "", s)
	empty.Lang = "zh-CN"
	if err := e.Submit(context.Background(), empty); err != nil {
		t.Fatal(err)
	}
	s.WaitText(t, zhCatalog().Empty)
	photo := turnFor("tg:1", "", s)
	photo.Lang = "zh"
	photo.Images = []Upload{{Data: testPNG(t, 40, 30, color.White), MIME: "image/png"}}
	if err := e.Submit(context.Background(), photo); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	runCommand(t, e, Command{Name: CmdLang, Args: "en", Lang: "zh"})
	photo.ReplyTo = MessageRef{ID: "second"}
	if err := e.Submit(context.Background(), photo); err != nil {
		t.Fatal(err)
	}
	e.Wait()
	reqs := m.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d model requests, want 2", len(reqs))
	}
	for i, want := range []string{zhCatalog().PhotoPrompt, enCatalog().PhotoPrompt} {
		if got := userTexts(reqs[i]); len(got) == 0 || got[len(got)-1] != want {
			t.Errorf("request %d asked %q, want %q", i, got, want)
		}
	}
}

func TestSettingsCommand(t *testing.T) {
	en := enCatalog()
	store := newEmbeddedStore(t)
	e := newTestEngine(t, Config{DailyUserTokens: 1000, DailyChatTokens: 5000}, newFakeModel(), store)
	now := e.clock.Now()
	if _, err := store.AddUsage(context.Background(), counterKey("user", "tg:5", now), 300, time.Hour); err != nil {
		t.Fatal(err)
	}
	runCommand(t, e, Command{Name: CmdThink, Args: "on"})
	got := runCommand(t, e, Command{Name: CmdSettings, User: "tg:5"})
	for _, want := range []string{
		en.SettingsTitle, fmt.Sprintf(en.SettingsModel, "fake-vl"), fmt.Sprintf(en.SettingsThinking, en.On),
		fmt.Sprintf(en.SettingsLangAuto, "English"), fmt.Sprintf(en.BudgetUser, 700, 1000), fmt.Sprintf(en.BudgetChat, 5000, 5000),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("/settings replied %q, want it to contain %q", got, want)
		}
	}
	e2 := newTestEngine(t, Config{}, newFakeModel(), newEmbeddedStore(t))
	if got := runCommand(t, e2, Command{Name: CmdSettings}); strings.Contains(got, "tokens left") {
		t.Errorf("/settings without budgets replied %q", got)
	}
}

// TestHelpFitsThePlace: /help says how to use the bot where it was asked.
func TestHelpFitsThePlace(t *testing.T) {
	en := enCatalog()
	tests := []struct {
		name      string
		cmd       Command
		want, not string
	}{
		{"telegram private", Command{Chat: "tg:1"}, en.HelpPrivate + "\n\n" + en.CommandsTelegram, en.HelpGroup},
		{"telegram group", Command{Chat: "tg:-100", Group: true}, en.HelpGroup + "\n\n" + en.CommandsTelegram, en.HelpPrivate},
		{"discord guild", Command{Chat: "dc:1:2", Group: true}, en.HelpDiscord + "\n\n" + en.CommandsDiscord, "/system"},
		{"discord dm", Command{Chat: "dc:dm:2"}, en.HelpDiscordDM + "\n\n" + en.CommandsDiscord, "/system"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEngine(t, Config{}, newFakeModel(), newEmbeddedStore(t))
			tc.cmd.Name = CmdHelp
			got := runCommand(t, e, tc.cmd)
			if !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) || !strings.Contains(got, en.SettingsTitle) {
				t.Errorf("help %q, want %q and the settings, without %q", got, tc.want, tc.not)
			}
		})
	}
}

// TestUnsupportedOncePerBurst: messages the bot cannot read get one
// answer per burst and never reach the model.
func TestUnsupportedOncePerBurst(t *testing.T) {
	clk := botstest.NewFakeClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	m := newFakeModel()
	e := newTestEngine(t, Config{Clock: clk}, m, newEmbeddedStore(t))
	s := newRecSurface()
	submit := func(id string, text string) {
		t.Helper()
		tn := turnFor("tg:1", text, s)
		tn.Unsupported, tn.ReplyTo = true, MessageRef{ID: id}
		if err := e.Submit(context.Background(), tn); err != nil {
			t.Fatal(err)
		}
	}
	submit("1", "")
	s.WaitText(t, enCatalog().Unsupported)
	submit("2", "")
	clk.Advance(30 * time.Second)
	submit("3", "what does this PDF say?")
	clk.Advance(unsupportedQuiet)
	submit("4", "")
	s.WaitFor(t, "the second burst's answer", func(texts []string) bool { return len(texts) == 2 })
	e.Wait()
	msgs := s.Messages()
	if len(msgs) != 2 || msgs[0].Out.ReplyTo.ID != "1" || msgs[1].Out.ReplyTo.ID != "4" {
		t.Errorf("sent %+v, want answers to 1 and 4 only", msgs)
	}
	if n := len(m.Requests()); n != 0 {
		t.Errorf("%d model requests, want 0", n)
	}
}
