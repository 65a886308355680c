package memory

import (
	"errors"
	"testing"
	"time"
)

// testLoadSettings checks that Load returns the chat's settings, with or
// without history, and refreshes their TTL.
func testLoadSettings(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{TTL: time.Hour})
	ctx := t.Context()
	on := true
	set := Settings{Thinking: &on, SystemPrompt: "Be brief.", Model: "qwen3-vl-plus", Lang: "zh"}
	if h := mustLoad(t, s, testChat, 0, 1); !settingsEqual(h.Settings, Settings{}) {
		t.Fatalf("settings of a new chat: %+v, want zero", h.Settings)
	}
	for _, tc := range []struct {
		name    string
		prepare func()
		turns   int
	}{
		{"settings without history", func() {}, 0},
		{"settings with history", func() { mustAppend(t, s, testChat, testTurn(1, 1)) }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.SetSettings(ctx, testChat, set); err != nil {
				t.Fatal(err)
			}
			tc.prepare()
			s.setTTL(testChat, "s", time.Minute)
			h := mustLoad(t, s, testChat, 0, 1)
			if !settingsEqual(h.Settings, set) {
				t.Errorf("settings %+v, want %+v", h.Settings, set)
			}
			if len(h.Turns) != tc.turns {
				t.Errorf("%d turns, want %d", len(h.Turns), tc.turns)
			}
			assertFreshTTL(t, s, testChat, "s")
		})
	}
}

// testAppendIfLocked checks that a turn is stored only while the caller
// holds the chat's lock.
func testAppendIfLocked(t *testing.T, newStore newStoreFunc) {
	for _, tc := range []struct {
		name string
		// lock returns the lock to append with, after doing to it what the
		// case is about.
		lock    func(t *testing.T, s storeUnderTest) *Lock
		wantErr error
		stored  bool
	}{
		{"lock held", func(t *testing.T, s storeUnderTest) *Lock {
			return mustTryLock(t, s, testChat, 10*time.Second)
		}, nil, true},
		{"lock taken by another owner", func(t *testing.T, s storeUnderTest) *Lock {
			l := mustTryLock(t, s, testChat, 10*time.Second)
			s.setTTL(testChat, "lock", 0)
			mustTryLock(t, s, testChat, 10*time.Second)
			return l
		}, ErrLockLost, false},
		{"lock expired", func(t *testing.T, s storeUnderTest) *Lock {
			l := mustTryLock(t, s, testChat, 10*time.Second)
			s.setTTL(testChat, "lock", 0)
			return l
		}, ErrLockLost, false},
		{"lock released", func(t *testing.T, s storeUnderTest) *Lock {
			l := mustTryLock(t, s, testChat, 10*time.Second)
			if err := l.Release(t.Context()); err != nil {
				t.Fatal(err)
			}
			return l
		}, ErrLockLost, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t, Config{})
			img := testImage("locked")
			tt := testTurn(1, 1)
			tt.Images = []ImageRef{img.Ref}
			l := tc.lock(t, s)
			err := s.AppendIfLocked(t.Context(), testChat, l, tt, img)
			if !errors.Is(err, tc.wantErr) || (err != nil) != (tc.wantErr != nil) {
				t.Fatalf("append if locked: %v, want %v", err, tc.wantErr)
			}
			h := mustLoad(t, s, testChat, 0, 1)
			if stored := len(h.Turns) == 1 && len(h.Images) == 1; stored != tc.stored || len(h.Turns) > 1 {
				t.Errorf("%d turns, %d images stored; want stored=%v", len(h.Turns), len(h.Images), tc.stored)
			}
			if got := s.images(testChat); !tc.stored && len(got) != 0 {
				t.Errorf("images %v stored without the lock", got)
			}
			select {
			case <-l.Lost():
				if tc.wantErr == nil {
					t.Error("Lost closed while the lock is held")
				}
			default:
				if tc.wantErr != nil {
					t.Error("Lost not closed after ErrLockLost")
				}
			}
		})
	}
}

// testAppendIfLockedOtherChat checks that a lock of another chat is refused
// without storing anything.
func testAppendIfLockedOtherChat(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	l := mustTryLock(t, s, "another chat", 10*time.Second)
	err := s.AppendIfLocked(t.Context(), testChat, l, testTurn(1, 1))
	if err == nil || errors.Is(err, ErrLockLost) {
		t.Fatalf("append with another chat's lock: %v, want a usage error", err)
	}
	if h := mustLoad(t, s, testChat, 0, 0); len(h.Turns) != 0 {
		t.Errorf("%d turns stored with another chat's lock", len(h.Turns))
	}
}
