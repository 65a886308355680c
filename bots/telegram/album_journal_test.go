package telegram

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// postAlbum posts n photos of one media group to handler as updates
// first, first+1, …, the caption on the second, each checked acknowledged,
// and returns their journal ids.
func postAlbum(t *testing.T, h *harness, handler http.Handler, first int, chat tgtest.Chat, from tgtest.User, group, caption string, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		if code := post(t, handler, "s3cret", albumPart(h.srv, first+i, chat, from, group, caption, i)); code != http.StatusOK {
			t.Fatalf("update %d: status %d", first+i, code)
		}
		ids = append(ids, strconv.Itoa(first+i))
	}
	return ids
}

// albumPart returns update id holding photo i of an album, the caption on
// the second; its file, "page <group>-<i>", is added to srv.
func albumPart(srv *tgtest.Server, id int, chat tgtest.Chat, from tgtest.User, group, caption string, i int) []byte {
	file := fmt.Sprintf("%s-%d", group, i)
	srv.AddFile(file, []byte("page "+file))
	m := tgtest.Message{Chat: chat, From: from, MediaGroupID: group, Photo: tgtest.Photo(file, 6+len(group))}
	if i == 1 {
		m.Caption = caption
	}
	return srv.Update(id, m)
}

// journaledAlbums returns a journaled webhook harness gathering albums
// for wait.
func journaledAlbums(t *testing.T, wait time.Duration) (*harness, *fakeJournal) {
	t.Helper()
	cfg := webhookConfig()
	cfg.AlbumWait = wait
	return journaled(t, cfg)
}

func TestAlbumPartsAreJournaledUntilTheAlbumsTurnEnds(t *testing.T) {
	h, j := journaledAlbums(t, time.Second)
	handler := h.bot.webhookHandler(context.Background())
	chat := tgtest.PrivateChat(alice())
	var ids []string
	for i := range 3 { // each part is recorded before its 200
		id := 20 + i
		if code := post(t, handler, "s3cret", albumPart(h.srv, id, chat, alice(), "g", "what is on these pages", i)); code != http.StatusOK {
			t.Fatalf("update %d: status %d", id, code)
		}
		ids = append(ids, strconv.Itoa(id))
		if !j.has(ids[i]) {
			t.Fatalf("album part %s acknowledged without a journal record", ids[i])
		}
	}
	timers(t, h.clock, 1, "the album's quiet period")
	h.clock.Advance(time.Second)
	tn := h.nextTurn(t)
	if tn.Text != "what is on these pages" || len(tn.Images) != 3 || !tn.Resumable || tn.Ended == nil {
		t.Fatalf("album turn %q with %d images, resumable %v: want the caption, 3 images, journaled", tn.Text, len(tn.Images), tn.Resumable)
	}
	for _, id := range ids {
		if !j.has(id) {
			t.Errorf("part %s's record ended before the album's turn did", id)
		}
	}
	tn.Ended()
	for _, id := range ids {
		j.waitDone(t, id)
	}
	h.bot.queue.Close()
}

func TestAnAlbumThatAsksNothingEndsItsRecords(t *testing.T) {
	h, j := journaledAlbums(t, time.Second)
	handler := h.bot.webhookHandler(context.Background())
	ids := postAlbum(t, h, handler, 30, tgtest.GroupChat(groupID), bob(), "chatter", "not for the bot", 2)
	timers(t, h.clock, 1, "the album's quiet period")
	h.clock.Advance(time.Second)
	for _, id := range ids {
		j.waitDone(t, id)
	}
	h.bot.queue.Close()
	select {
	case tn := <-h.turns:
		t.Errorf("a turn for an album that did not address the bot: %+v", tn)
	default:
	}
}

func TestAnAlbumStillGatheringAtShutdownIsKept(t *testing.T) {
	h, j := journaledAlbums(t, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	ids := postAlbum(t, h, h.bot.webhookHandler(ctx), 40, tgtest.PrivateChat(alice()), alice(), "late", "", 2)
	cancel()
	h.bot.albums.Wait()
	h.bot.queue.Close()
	for _, id := range ids {
		if !j.has(id) {
			t.Errorf("part %s's record ended with the album unanswered; the next process will not answer it", id)
		}
	}
	h.bot.journal.Renew(t.Context())
	if ids := j.lastRenewed(); len(ids) != 0 {
		t.Errorf("kept records %q still renewed by the stopped bot", ids)
	}
}

func TestATextAfterAnAlbumKeepsItsOwnRecord(t *testing.T) {
	h, j := journaledAlbums(t, time.Hour)
	handler := h.bot.webhookHandler(context.Background())
	chat := tgtest.PrivateChat(alice())
	ids := postAlbum(t, h, handler, 50, chat, alice(), "g", "first these", 2)
	post(t, handler, "s3cret", h.srv.Update(52, tgtest.Message{Chat: chat, From: alice(), Text: "then this"}))
	album, text := h.nextTurn(t), h.nextTurn(t)
	if len(album.Images) != 2 || text.Text != "then this" {
		t.Fatalf("turns %q (%d images), %q: want the album, then the text", album.Text, len(album.Images), text.Text)
	}
	album.Ended()
	for _, id := range ids {
		j.waitDone(t, id)
	}
	if !j.has("52") {
		t.Error("the album's turn ended the record of the text that flushed it")
	}
	text.Ended()
	j.waitDone(t, "52")
	h.bot.queue.Close()
}
