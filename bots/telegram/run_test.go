package telegram

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

func TestPrivateTextTurn(t *testing.T) {
	h := startHarness(t, Config{Drafts: true})
	id := h.srv.Push(tgtest.Message{ID: 31, Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "what is 2+2?"})
	tn := h.nextTurn(t)
	if tn.Chat != "tg:11" || tn.User != "tg:11" || tn.Group || tn.Text != "what is 2+2?" || tn.ReplyTo.ID != "31" {
		t.Errorf("turn = %+v", tn)
	}
	if tn.Sender != (bots.Sender{ID: "11", Name: "Alice Liddell"}) {
		t.Errorf("sender = %+v", tn.Sender)
	}
	if !tn.Surface.Limits().Drafts {
		t.Error("private surface does not offer drafts")
	}
	if _, ok := tn.Surface.(bots.Drafter); !ok {
		t.Error("private surface is not a Drafter")
	}
	h.acked(t, id)
	if !h.bot.Ready() {
		t.Error("not ready while polling")
	}
}

func TestGroupTriggersOnlyWhenAddressed(t *testing.T) {
	h := startHarness(t, Config{})
	group := tgtest.GroupChat(groupID)
	h.srv.AddFile("p1", []byte("photo-1"))
	h.srv.Push(tgtest.Message{Chat: group, From: bob(), Text: "hello all"})
	h.srv.Push(tgtest.Message{Chat: group, From: bob(), Photo: tgtest.Photo("p1", 7)})
	h.srv.Push(tgtest.Message{Chat: group, From: bob(), Photo: tgtest.Photo("p1", 7), Caption: "homework"})
	h.srv.Push(tgtest.Message{Chat: group, From: bob(), Text: "/reset@other_bot"})
	h.srv.Push(tgtest.Message{Chat: group, From: alice(), Text: "@qwen_test_bot explain"})
	tn := h.nextTurn(t)
	if tn.Text != "explain" || tn.Chat != "tg:-1001234" || !tn.Group || tn.Sender.Name != "Alice Liddell" || len(tn.Images) != 0 {
		t.Errorf("first turn = %+v, want Alice's question", tn)
	}
	if l := tn.Surface.Limits(); l.Drafts || l.WindowCap == 0 {
		t.Errorf("group limits = %+v", l)
	}
	select {
	case c := <-h.cmds:
		t.Errorf("unexpected command %+v", c)
	default:
	}
	if n := len(h.srv.Calls("getFile")); n != 0 {
		t.Errorf("%d getFile calls for ignored photos", n)
	}
}

func TestTopicTurn(t *testing.T) {
	h := startHarness(t, Config{})
	h.srv.Push(tgtest.Message{ID: 50, Chat: tgtest.ForumChat(groupID), ThreadID: 42, From: alice(), Text: "/ask what is a group?"})
	tn := h.nextTurn(t)
	if tn.Chat != "tg:-1001234:42" || tn.Text != "what is a group?" {
		t.Fatalf("turn = %+v", tn)
	}
	ctx := context.Background()
	if err := tn.Surface.Typing(ctx); err != nil {
		t.Fatal(err)
	}
	ref, err := tn.Surface.Send(ctx, bots.Outgoing{Text: "answer", ReplyTo: tn.ReplyTo})
	if err != nil {
		t.Fatal(err)
	}
	if err := tn.Surface.Edit(ctx, ref, bots.Outgoing{Text: "answer, longer"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range h.srv.Calls("sendChatAction", "sendMessage", "editMessageText") {
		if c.Params["message_thread_id"] != "42" {
			t.Errorf("%s without message_thread_id 42: %v", c.Method, c.Params)
		}
	}
	if sent := h.srv.Sent(); len(sent) != 1 || sent[0].ReplyTo != 50 || sent[0].ThreadID != 42 {
		t.Errorf("sent = %+v, want one reply to 50 in topic 42", sent)
	}
}

func TestImages(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\nfake")
	tests := []struct {
		name       string
		msg        tgtest.Message
		wantText   string
		wantImages [][]byte
		wantMIME   string
	}{
		{"photo without caption gets the default prompt", tgtest.Message{Chat: tgtest.PrivateChat(alice()), Photo: tgtest.Photo("p1", 5)},
			"Describe it.", [][]byte{[]byte("photo")}, "image/jpeg"},
		{"image document", tgtest.Message{Chat: tgtest.PrivateChat(alice()), Caption: "solve",
			Document: &tgtest.Document{FileID: "d1", FileName: "page.png", MimeType: "image/png", FileSize: len(png)}},
			"solve", [][]byte{png}, "image/png"},
		{"reply to someone's photo", tgtest.Message{Chat: tgtest.GroupChat(groupID), Text: "@qwen_test_bot what is this?",
			ReplyTo: &tgtest.Message{From: bob(), Photo: tgtest.Photo("p1", 5)}},
			"what is this?", [][]byte{[]byte("photo")}, "image/jpeg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, Config{PhotoPrompt: "Describe it."})
			h.srv.AddFile("p1", []byte("photo"))
			h.srv.AddFile("d1", png)
			tt.msg.From = alice()
			h.srv.Push(tt.msg)
			tn := h.nextTurn(t)
			if tn.Text != tt.wantText || len(tn.Images) != len(tt.wantImages) {
				t.Fatalf("turn text %q with %d images, want %q with %d", tn.Text, len(tn.Images), tt.wantText, len(tt.wantImages))
			}
			for i, img := range tn.Images {
				if !bytes.Equal(img.Data, tt.wantImages[i]) || img.MIME != tt.wantMIME {
					t.Errorf("image %d = %q (%s)", i, img.Data, img.MIME)
				}
			}
			for _, c := range h.srv.Calls("getFile") {
				if strings.HasSuffix(c.Params["file_id"], "_s") {
					t.Errorf("downloaded the thumbnail %s, not the largest size", c.Params["file_id"])
				}
			}
		})
	}
}

func TestImageLimits(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*tgtest.Server)
		msg    tgtest.Message
		notice string
		getFn  int // getFile calls expected
	}{
		{"declared size over the limit is refused before getFile", func(s *tgtest.Server) { s.AddFile("big", make([]byte, 200)) },
			tgtest.Message{Photo: tgtest.Photo("big", 200)}, "too large", 0},
		{"size from getFile over the limit is refused before download", func(s *tgtest.Server) { s.AddFile("big", make([]byte, 200)) },
			tgtest.Message{Photo: []tgtest.PhotoSize{{FileID: "big", Width: 10, Height: 10}}}, "too large", 1},
		{"undeclared size is cut while reading", func(s *tgtest.Server) { s.AddFileWithoutSize("big", make([]byte, 200)) },
			tgtest.Message{Document: &tgtest.Document{FileID: "big", MimeType: "image/jpeg"}}, "too large", 1},
		{"missing file", func(*tgtest.Server) {}, tgtest.Message{Photo: tgtest.Photo("gone", 10)}, "couldn't download", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, Config{MaxImageBytes: 100})
			tt.setup(h.srv)
			tt.msg.Chat, tt.msg.From = tgtest.PrivateChat(alice()), alice()
			h.srv.Push(tt.msg)
			sent := h.srv.WaitCall(t, "sendMessage", nil)
			if !strings.Contains(sent.Params["text"], tt.notice) {
				t.Errorf("notice %q, want it to mention %q", sent.Params["text"], tt.notice)
			}
			if n := len(h.srv.Calls("getFile")); n != tt.getFn {
				t.Errorf("%d getFile calls, want %d", n, tt.getFn)
			}
			select {
			case tn := <-h.turns:
				t.Errorf("turn submitted despite the limit: %+v", tn)
			default:
			}
		})
	}
}

func TestCommands(t *testing.T) {
	tests := []struct {
		name string
		msg  tgtest.Message
		want bots.Command
	}{
		{"reset", tgtest.Message{Chat: tgtest.PrivateChat(alice()), Text: "/reset"}, bots.Command{Name: bots.CmdReset, Chat: "tg:11"}},
		{"new alias", tgtest.Message{Chat: tgtest.PrivateChat(alice()), Text: "/new"}, bots.Command{Name: bots.CmdReset, Chat: "tg:11"}},
		{"think on", tgtest.Message{Chat: tgtest.PrivateChat(alice()), Text: "/think on"}, bots.Command{Name: bots.CmdThink, Args: "on", Chat: "tg:11"}},
		{"help in topic", tgtest.Message{Chat: tgtest.ForumChat(groupID), ThreadID: 4, Text: "/help@qwen_test_bot"}, bots.Command{Name: bots.CmdHelp, Chat: "tg:-1001234:4"}},
		{"bare ask shows help", tgtest.Message{Chat: tgtest.GroupChat(groupID), Text: "/ask"}, bots.Command{Name: bots.CmdHelp, Chat: "tg:-1001234"}},
		{"system from an admin", tgtest.Message{Chat: tgtest.PrivateChat(alice()), Text: "/system Be brief."}, bots.Command{Name: bots.CmdSystem, Args: "Be brief.", Chat: "tg:11"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startHarness(t, Config{Admins: []int64{alice().ID}})
			tt.msg.ID, tt.msg.From = 88, alice()
			h.srv.Push(tt.msg)
			c := h.nextCommand(t)
			if c.Name != tt.want.Name || c.Args != tt.want.Args || c.Chat != tt.want.Chat || c.User != "tg:11" || c.ReplyTo.ID != "88" || c.Surface == nil {
				t.Errorf("command = %+v, want %+v", c, tt.want)
			}
			if !c.Sender.Admin || c.Sender.Name != "Alice Liddell" {
				t.Errorf("sender = %+v, want admin Alice", c.Sender)
			}
		})
	}
}

func TestStopJumpsTheQueue(t *testing.T) {
	h := newHarness(t, Config{})
	release := make(chan struct{})
	defer close(release)
	h.eng.submit = func(ctx context.Context, tn bots.Turn) error {
		h.turns <- tn
		select { // an engine that holds the turn until it is done
		case <-release:
		case <-ctx.Done():
		}
		return nil
	}
	h.run(t)
	chat := tgtest.PrivateChat(alice())
	h.srv.Push(tgtest.Message{Chat: chat, From: alice(), Text: "long question"})
	h.nextTurn(t)
	h.srv.Push(tgtest.Message{Chat: chat, From: alice(), Text: "/stop"})
	if c := h.nextCommand(t); c.Name != bots.CmdStop || c.Chat != "tg:11" {
		t.Errorf("command = %+v, want stop", c)
	}
}

func TestStopButton(t *testing.T) {
	h := startHarness(t, Config{})
	botMsg := tgtest.Message{ID: 900, Chat: tgtest.ForumChat(groupID), ThreadID: 8, From: h.srv.Bot, Text: "streaming…"}
	h.srv.PushCallback(tgtest.Callback{ID: "cb1", From: alice(), Message: botMsg, Data: "stop"})
	select {
	case chat := <-h.stops:
		if chat != "tg:-1001234:8/" {
			t.Errorf("stopped %q, want tg:-1001234:8/", chat)
		}
	case <-time.After(waitTimeout):
		t.Fatal("Stop not called")
	}
	c := h.srv.WaitCall(t, "answerCallbackQuery", nil)
	if c.Params["callback_query_id"] != "cb1" || c.Params["text"] != bots.NoticesFor("").Stopped() {
		t.Errorf("answerCallbackQuery params = %v", c.Params)
	}
}

func TestAllowLists(t *testing.T) {
	h := startHarness(t, Config{AllowedUsers: []int64{alice().ID}, Admins: []int64{99}})
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(bob()), From: bob(), Text: "hi"})
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(bob()), From: bob(), Text: "hello?"})
	admin := tgtest.User{ID: 99, FirstName: "Op"}
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(admin), From: admin, Text: "admin question"})
	h.srv.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "alice question"})
	got := map[string]bool{}
	for range 2 {
		got[h.nextTurn(t).Text] = true
	}
	if !got["admin question"] || !got["alice question"] {
		t.Errorf("turns = %v, want the admin's and alice's", got)
	}
	h.logs.waitCount(t, "refused a user", 2)
	refusals := 0
	for _, m := range h.srv.Sent() {
		if m.ChatID == bob().ID {
			refusals++
			if !strings.Contains(m.Text, "not available") {
				t.Errorf("refusal text %q", m.Text)
			}
		}
	}
	if refusals != 1 {
		t.Errorf("%d refusals, want exactly one", refusals)
	}
}

// TestRegistersCommandMenus: a menu per scope and language; the default
// (no language_code) is English, Chinese clients get theirs, and both
// list the same commands, /lang and /settings among them.
func TestRegistersCommandMenus(t *testing.T) {
	h := startHarness(t, Config{})
	h.srv.WaitFor(t, "four setMyCommands calls", func() bool { return len(h.srv.Calls("setMyCommands")) == 4 })
	menusBy := map[string][]menuEntry{} // scope/lang
	for _, c := range h.srv.Calls("setMyCommands") {
		var scope commandScope
		var menu []menuEntry
		if err := c.JSON("scope", &scope); err != nil {
			t.Fatal(err)
		}
		if err := c.JSON("commands", &menu); err != nil || len(menu) == 0 {
			t.Fatalf("commands %q: %v", c.Params["commands"], err)
		}
		menusBy[scope.Type+"/"+c.Params["language_code"]] = menu
	}
	for _, scope := range []string{"all_private_chats", "all_group_chats"} {
		en, zh := menusBy[scope+"/"], menusBy[scope+"/zh"]
		if len(en) == 0 || len(en) != len(zh) {
			t.Fatalf("%s: menus %v and %v, want an English default and a Chinese one alike", scope, en, zh)
		}
		var names []string
		for i := range en {
			if en[i].Command != zh[i].Command || en[i].Description == zh[i].Description {
				t.Errorf("%s: entry %d is %+v in English and %+v in Chinese", scope, i, en[i], zh[i])
			}
			names = append(names, en[i].Command)
		}
		for _, want := range []string{"lang", "settings", "help"} {
			if !slices.Contains(names, want) {
				t.Errorf("%s menu %v lacks /%s", scope, names, want)
			}
		}
	}
}

func TestAllowed(t *testing.T) {
	tests := []struct {
		name       string
		cfg        Config
		user, chat int64
		want       bool
	}{
		{"open", Config{}, 1, 1, true},
		{"user listed", Config{AllowedUsers: []int64{1}}, 1, groupID, true},
		{"user not listed", Config{AllowedUsers: []int64{1}}, 2, 2, false},
		{"chat listed, any member", Config{AllowedChats: []int64{groupID}}, 2, groupID, true},
		{"chat not listed", Config{AllowedChats: []int64{groupID}}, 2, 2, false},
		{"both lists must pass", Config{AllowedUsers: []int64{1}, AllowedChats: []int64{groupID}}, 1, -5, false},
		{"admin passes", Config{AllowedUsers: []int64{1}, AllowedChats: []int64{groupID}, Admins: []int64{9}}, 9, -5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.cfg)
			if got := h.bot.allowed(tt.user, tt.chat); got != tt.want {
				t.Errorf("allowed(%d, %d) = %v, want %v", tt.user, tt.chat, got, tt.want)
			}
		})
	}
}
