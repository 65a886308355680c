package telegram

import (
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// English and Chinese texts the tests look for, from the engine's
// catalog.
const (
	unknownEN     = "I don't know that command"
	unknownZH     = "我不认识这个命令"
	unsupportedEN = "I can read text, photos and videos only"
	helpPrivateEN = "Every message here is a question"
	helpGroupEN   = "In this group, mention me"
	helpPrivateZH = "这里的每条消息都是一个问题"
	settingsEN    = "Settings here:"
)

// rawMessage returns the JSON of a message from u in chat carrying the
// given members (a sticker, a poll, …), for tgtest's PushUpdate.
func rawMessageJSON(id int, chat tgtest.Chat, u tgtest.User, members map[string]any) map[string]any {
	from := map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName}
	if u.LanguageCode != "" {
		from["language_code"] = u.LanguageCode
	}
	m := map[string]any{"message_id": id, "date": 1700000000, "chat": map[string]any{"id": chat.ID, "type": chat.Type}, "from": from}
	for k, v := range members {
		m[k] = v
	}
	return map[string]any{"message": m}
}

// sentTo returns the texts sent to chat so far.
func sentTo(tg *tgtest.Server, chat int64) []string {
	var out []string
	for _, m := range tg.Sent() {
		if m.ChatID == chat {
			out = append(out, m.Text)
		}
	}
	return out
}

// waitSent waits until a message to chat contains want.
func waitSent(t *testing.T, tg *tgtest.Server, chat int64, want string) {
	t.Helper()
	tg.WaitFor(t, "a message containing "+want, func() bool {
		for _, s := range sentTo(tg, chat) {
			if strings.Contains(s, want) {
				return true
			}
		}
		return false
	})
}

// count returns how many of texts contain s.
func count(texts []string, s string) int {
	n := 0
	for _, t := range texts {
		if strings.Contains(t, s) {
			n++
		}
	}
	return n
}

// TestEndToEndUnknownCommands: an unknown command is answered as such with
// the help, in private chats and when addressed to the bot in a group; one
// for another bot, or unaddressed in a group, is ignored; none reaches the
// model.
func TestEndToEndUnknownCommands(t *testing.T) {
	x := startE2E(t)
	x.tg.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "/foo bar"})
	waitSent(t, x.tg, alice().ID, unknownEN)
	if got := sentTo(x.tg, alice().ID); len(got) != 1 || !strings.Contains(got[0], helpPrivateEN) || !strings.Contains(got[0], settingsEN) {
		t.Errorf("private /foo answered %q, want one message with the help and settings", got)
	}

	group := tgtest.GroupChat(groupID)
	x.tg.Push(tgtest.Message{Chat: group, From: bob(), Text: "/foo@other_bot"})
	x.tg.Push(tgtest.Message{Chat: group, From: bob(), Text: "/foo"})
	x.tg.Push(tgtest.Message{Chat: group, From: bob(), Text: "/bar@qwen_test_bot"})
	waitSent(t, x.tg, groupID, unknownEN)
	x.tg.Push(tgtest.Message{Chat: group, From: bob(), Text: "/help@qwen_test_bot"})
	x.tg.WaitFor(t, "the group's help", func() bool { return count(sentTo(x.tg, groupID), helpGroupEN) == 2 })
	x.eng.Wait()
	got := sentTo(x.tg, groupID)
	if len(got) != 2 || count(got, unknownEN) != 1 {
		t.Errorf("group answered %q, want /bar@qwen_test_bot and /help answered, the rest ignored", got)
	}
	if n := len(x.model.Requests()); n != 0 {
		t.Errorf("%d model requests for commands, want 0", n)
	}
}

// TestEndToEndUnsupportedMessages: stickers, voice notes, audio, PDFs,
// locations and polls get one answer per burst saying what the bot reads,
// and never reach the model; unaddressed in a group they are ignored.
func TestEndToEndUnsupportedMessages(t *testing.T) {
	x := startE2E(t)
	chat := tgtest.PrivateChat(alice())
	members := []map[string]any{
		{"sticker": map[string]any{"file_id": "s1", "file_unique_id": "us1", "type": "regular", "width": 512, "height": 512}},
		{"voice": map[string]any{"file_id": "v1", "file_unique_id": "uv1", "duration": 3}},
		{"audio": map[string]any{"file_id": "a1", "file_unique_id": "ua1", "duration": 100}},
		{"document": map[string]any{"file_id": "d1", "file_unique_id": "ud1", "file_name": "hw.pdf", "mime_type": "application/pdf"}, "caption": "solve this"},
		{"location": map[string]any{"latitude": 48.2, "longitude": 16.4}},
		{"poll": map[string]any{"id": "p1", "question": "2+2?", "options": []map[string]any{{"text": "4", "voter_count": 0}},
			"total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false}},
	}
	for i, m := range members {
		x.tg.PushUpdate(rawMessageJSON(500+i, chat, alice(), m))
	}
	gif := map[string]any{"file_id": "g1", "file_unique_id": "ug1", "width": 320, "height": 240, "duration": 2, "mime_type": "video/mp4"}
	bobChat := tgtest.PrivateChat(bob())
	x.tg.PushUpdate(rawMessageJSON(520, bobChat, bob(), map[string]any{"animation": gif, "document": gif})) // a clip, not unsupported
	x.tg.Push(tgtest.Message{Chat: bobChat, From: bob(), Text: "/settings"})
	group := tgtest.GroupChat(groupID)
	x.tg.PushUpdate(rawMessageJSON(600, group, bob(), members[0])) // not for the bot
	// A command after the burst: once it is answered, the burst was handled.
	x.tg.Push(tgtest.Message{Chat: chat, From: alice(), Text: "/settings"})
	x.tg.Push(tgtest.Message{Chat: group, From: bob(), Text: "/settings@qwen_test_bot"})
	waitSent(t, x.tg, alice().ID, settingsEN)
	waitSent(t, x.tg, groupID, settingsEN)
	waitSent(t, x.tg, bob().ID, settingsEN)
	x.eng.Wait()
	if got := sentTo(x.tg, bob().ID); count(got, unsupportedEN) != 0 {
		t.Errorf("bob got %q: an animation is a clip, not an unsupported message", got)
	}
	got := sentTo(x.tg, alice().ID)
	if len(got) != 2 || !strings.Contains(got[0], unsupportedEN) {
		t.Errorf("private chat got %q, want one answer to the burst, then the settings", got)
	}
	if got := sentTo(x.tg, groupID); count(got, unsupportedEN) != 0 {
		t.Errorf("group got %q for an unaddressed sticker", got)
	}
	if n := len(x.model.Requests()); n != 0 {
		t.Errorf("%d model requests for unsupported messages, want 0", n)
	}
}

// TestEndToEndChatLanguage: the bot's messages follow the user's app
// language until /lang chooses one for the chat; the question asked about
// a photo without text follows too.
func TestEndToEndChatLanguage(t *testing.T) {
	x := startE2E(t)
	zhUser := alice()
	zhUser.LanguageCode = "zh-hans"
	chat := tgtest.PrivateChat(zhUser)
	x.tg.Push(tgtest.Message{Chat: chat, From: zhUser, Text: "/help"})
	waitSent(t, x.tg, zhUser.ID, helpPrivateZH)
	x.tg.Push(tgtest.Message{Chat: chat, From: zhUser, Text: "/nope"})
	waitSent(t, x.tg, zhUser.ID, unknownZH)
	x.tg.Push(tgtest.Message{Chat: chat, From: zhUser, Text: "/lang en"})
	waitSent(t, x.tg, zhUser.ID, "my messages in this chat are in English")
	x.tg.AddFile("hw", jpegBytes(t, 90))
	x.tg.Push(tgtest.Message{Chat: chat, From: zhUser, Photo: tgtest.Photo("hw", 0)})
	x.finalReply(t, zhUser.ID)
	x.eng.Wait()
	reqs := x.model.Requests()
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Raw), "Solve the problem in this image step by step.") {
		t.Errorf("model requests %d, want one asking the English photo prompt", len(reqs))
	}
	s, err := x.store.Settings(t.Context(), "tg:11")
	if err != nil || s.Lang != "en" {
		t.Errorf("stored language %q (%v), want en", s.Lang, err)
	}
}

// TestEndToEndMisconfiguredTellsTheAdmins: a rejected API key is told to
// the user honestly and to the configured admins in a private message
// naming the cause, once, without the user's text.
func TestEndToEndMisconfiguredTellsTheAdmins(t *testing.T) {
	const admin = int64(77)
	x := startGatedE2E(t, llmtest.NewFrameGate(), func(c *Config) { c.Admins = []int64{admin} })
	x.eng.AddAlerter(x.bot)
	x.model.SetDefault(llmtest.Response{Status: 401, Body: llmtest.NativeErrorBody("InvalidApiKey", "Invalid API-key provided.")})
	for _, q := range []string{"my homework question", "again"} {
		x.tg.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: q})
	}
	x.tg.WaitFor(t, "both turns answered", func() bool { return count(sentTo(x.tg, alice().ID), "configuration problem") == 2 })
	x.eng.Wait()
	got := sentTo(x.tg, admin)
	if len(got) != 1 || !strings.Contains(got[0], "InvalidApiKey") || strings.Contains(got[0], "homework") {
		t.Errorf("admin got %q, want one message naming InvalidApiKey without the user's text", got)
	}
}

// TestEndToEndRefusalInTheUsersLanguage: the adapter's own notices follow
// the user's app language too.
func TestEndToEndRefusalInTheUsersLanguage(t *testing.T) {
	x := startGatedE2E(t, llmtest.NewFrameGate(), func(c *Config) { c.AllowedUsers = []int64{alice().ID} })
	zhBob := bob()
	zhBob.LanguageCode = "zh"
	x.tg.Push(tgtest.Message{Chat: tgtest.PrivateChat(zhBob), From: zhBob, Text: "hi"})
	waitSent(t, x.tg, zhBob.ID, bots.NoticesFor("zh").Denied())
	if n := len(x.model.Requests()); n != 0 {
		t.Errorf("%d model requests, want 0", n)
	}
}

// TestEndToEndQuotaMidAnswer: a quota error in the middle of an answer
// keeps what was shown and says the model is busy, not that the
// connection was lost.
func TestEndToEndQuotaMidAnswer(t *testing.T) {
	x := startE2E(t)
	frames := llmtest.Answer{Text: []string{"The first step "}}.Native()
	frames = append(frames[:len(frames)-1], llmtest.NativeErrorEvent(9, 429, "Throttling.AllocationQuota", "Allocated quota exceeded."))
	x.model.Enqueue(llmtest.Response{Frames: frames})
	x.tg.Push(tgtest.Message{Chat: tgtest.PrivateChat(alice()), From: alice(), Text: "solve it"})
	waitSent(t, x.tg, alice().ID, "the model is busy; please try again shortly")
	x.eng.Wait()
	got := sentTo(x.tg, alice().ID)
	if len(got) != 1 || !strings.Contains(got[0], "The first step") || strings.Contains(got[0], "connection") {
		t.Errorf("sent %q, want the partial answer with the busy note", got)
	}
}
