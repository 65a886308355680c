package memory

import (
	"errors"
	"testing"
	"time"
)

// assertFreshTTL fails unless part's TTL is about the configured TTL.
func assertFreshTTL(t *testing.T, s storeUnderTest, chat, part string) {
	t.Helper()
	if got := s.ttl(chat, part); got <= s.cfg.TTL-time.Minute || got > s.cfg.TTL {
		t.Errorf("ttl of %s = %v, want about %v", part, got, s.cfg.TTL)
	}
}

func testTTLRefreshed(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{TTL: time.Hour})
	img := testImage("ttl")
	imgPart := "img:" + img.Ref.Hash
	tt := testTurn(1, 1)
	tt.Images = []ImageRef{img.Ref}
	mustAppend(t, s, testChat, tt, img)
	if err := s.SetSettings(t.Context(), testChat, Settings{Model: "m"}); err != nil {
		t.Fatal(err)
	}
	parts := []string{"h", "s", imgPart}
	for _, p := range parts {
		assertFreshTTL(t, s, testChat, p)
	}
	for _, tc := range []struct {
		name string
		use  func() error
		want []string
	}{
		{"load", func() error { _, err := s.Load(t.Context(), testChat, 0, 1); return err }, parts},
		{"append", func() error { return s.Append(t.Context(), testChat, tt) }, parts},
		{"settings", func() error { _, err := s.Settings(t.Context(), testChat); return err }, []string{"s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, p := range parts {
				s.setTTL(testChat, p, time.Minute)
			}
			if err := tc.use(); err != nil {
				t.Fatal(err)
			}
			for _, p := range tc.want {
				assertFreshTTL(t, s, testChat, p)
			}
		})
	}
}

func testExpiry(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	img := testImage("exp")
	tt := testTurn(1, 1)
	tt.Images = []ImageRef{img.Ref}
	mustAppend(t, s, testChat, tt, img)
	s.setTTL(testChat, "img:"+img.Ref.Hash, 0)
	h := mustLoad(t, s, testChat, 0, 1)
	if len(h.Turns) != 1 || len(h.Images) != 0 {
		t.Fatalf("after image expiry: %d turns, %d images; want 1, 0", len(h.Turns), len(h.Images))
	}
	s.setTTL(testChat, "h", 0)
	if h := mustLoad(t, s, testChat, 0, 1); len(h.Turns) != 0 {
		t.Fatalf("after history expiry: %d turns", len(h.Turns))
	}
	// An expired image is stored again by the next append that carries it.
	mustAppend(t, s, testChat, tt, img)
	if h := mustLoad(t, s, testChat, 0, 1); len(h.Images) != 1 {
		t.Fatalf("image not stored again after expiry")
	}
}

func testReset(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	ctx := t.Context()
	img := testImage("r")
	tt := testTurn(1, 1)
	tt.Images = []ImageRef{img.Ref}
	mustAppend(t, s, testChat, tt, img)
	mustAppend(t, s, "other", tt, img)
	if err := s.SetSettings(ctx, testChat, Settings{Lang: "de"}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // a second reset of an empty chat is fine
		if err := s.Reset(ctx, testChat); err != nil {
			t.Fatalf("reset: %v", err)
		}
	}
	if h := mustLoad(t, s, testChat, 0, 1); len(h.Turns) != 0 || len(h.Images) != 0 {
		t.Errorf("after reset loaded %+v", h)
	}
	if imgs := s.images(testChat); len(imgs) != 0 {
		t.Errorf("after reset images %v remain", imgs)
	}
	if st, err := s.Settings(ctx, testChat); err != nil || st.Lang != "de" {
		t.Errorf("reset touched settings: %+v, %v", st, err)
	}
	if h := mustLoad(t, s, "other", 0, 1); len(h.Turns) != 1 || len(h.Images) != 1 {
		t.Errorf("reset touched another chat")
	}
}

func testSettings(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	ctx := t.Context()
	on, off := true, false
	for _, tc := range []struct {
		name string
		set  Settings
	}{
		{"all fields", Settings{Thinking: &on, SystemPrompt: "Be brief.\nUse LaTeX.", Model: "qwen3-vl-plus", Lang: "zh"}},
		{"thinking off only", Settings{Thinking: &off}},
		{"replace drops other fields", Settings{Model: "qwen3-vl-flash"}},
		{"zero clears", Settings{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.SetSettings(ctx, testChat, tc.set); err != nil {
				t.Fatal(err)
			}
			got, err := s.Settings(ctx, testChat)
			if err != nil {
				t.Fatal(err)
			}
			if !settingsEqual(got, tc.set) {
				t.Errorf("got %+v, want %+v", got, tc.set)
			}
		})
	}
	if got := s.ttl(testChat, "s"); got != ttlMissing {
		t.Errorf("cleared settings still stored (ttl %v)", got)
	}
}

func settingsEqual(a, b Settings) bool {
	sameThinking := (a.Thinking == nil) == (b.Thinking == nil) &&
		(a.Thinking == nil || *a.Thinking == *b.Thinking)
	return sameThinking && a.SystemPrompt == b.SystemPrompt && a.Model == b.Model && a.Lang == b.Lang
}

func testInvalidInput(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	ctx := t.Context()
	bad := testImage("bad")
	bad.Ref.Hash = "not-a-hash"
	empty := testImage("")
	empty.Data = nil
	badRef := testTurn(1, 1)
	badRef.Images = []ImageRef{{Hash: "../../etc"}}
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"load empty chat", func() error { _, err := s.Load(ctx, "", 1, 1); return err }},
		{"append empty chat", func() error { return s.Append(ctx, "", testTurn(1, 1)) }},
		{"reset empty chat", func() error { return s.Reset(ctx, "") }},
		{"settings empty chat", func() error { _, err := s.Settings(ctx, ""); return err }},
		{"lock empty chat", func() error { _, err := s.TryLock(ctx, "", time.Second); return err }},
		{"lock zero ttl", func() error { _, err := s.TryLock(ctx, testChat, 0); return err }},
		{"seen zero ttl", func() error { _, err := s.Seen(ctx, "u1", 0); return err }},
		{"usage empty name", func() error { _, err := s.AddUsage(ctx, "", 1, 0); return err }},
		{"image bad hash", func() error { return s.Append(ctx, testChat, testTurn(1, 1), bad) }},
		{"image without data", func() error { return s.Append(ctx, testChat, testTurn(1, 1), empty) }},
		{"ref bad hash", func() error { return s.Append(ctx, testChat, badRef) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); err == nil {
				t.Fatal("no error")
			}
		})
	}
	if h := mustLoad(t, s, testChat, 0, 0); len(h.Turns) != 0 {
		t.Errorf("rejected appends stored %d turns", len(h.Turns))
	}
	if _, err := s.Load(ctx, "", 1, 1); !errors.Is(err, errEmptyKey) {
		t.Errorf("empty chat error %v does not wrap errEmptyKey", err)
	}
}
