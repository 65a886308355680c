package memory

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// testStore runs the shared suite: both implementations must pass it.
func testStore(t *testing.T, newStore newStoreFunc) {
	for _, tc := range []struct {
		name string
		run  func(*testing.T, newStoreFunc)
	}{
		{"AppendLoadOrder", testAppendLoadOrder},
		{"LoadLimits", testLoadLimits},
		{"ImageDedup", testImageDedup},
		{"ImageWindow", testImageWindow},
		{"ImageIsolation", testImageIsolation},
		{"ImagesOfTrimmedTurns", testImagesOfTrimmedTurns},
		{"TrimTurns", testTrimTurns},
		{"TrimTokens", testTrimTokens},
		{"TTLSetAndRefreshed", testTTLRefreshed},
		{"Expiry", testExpiry},
		{"Reset", testReset},
		{"Settings", testSettings},
		{"LoadSettings", testLoadSettings},
		{"AppendIfLocked", testAppendIfLocked},
		{"AppendIfLockedOtherChat", testAppendIfLockedOtherChat},
		{"CorruptEntries", testCorruptEntries},
		{"InvalidInput", testInvalidInput},
		{"Concurrency", testConcurrency},
		{"Locks", testLocks},
		{"HolderLocks", testHolderLocks},
		{"TurnRoundTrips", testTurnRoundTrips},
		{"LockWait", testLockWait},
		{"KeepAlive", testKeepAlive},
		{"Seen", testSeen},
		{"Usage", testUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore)
		})
	}
}

const testChat = "tg:-100123:7"

// testTurn is a turn from sender "u<sender>" whose text encodes i.
func testTurn(sender, i int) Turn {
	return Turn{
		SenderID:   fmt.Sprint(sender),
		SenderName: fmt.Sprintf("u%d", sender),
		User:       fmt.Sprintf("q%d", i),
		Assistant:  fmt.Sprintf("a%d", i),
		Tokens:     10,
		At:         time.Date(2025, 1, 1, 0, 0, i, 0, time.UTC),
	}
}

func testImage(seed string) Image {
	return NewImage("image/jpeg", []byte("jpeg-bytes-"+seed), 640, 480)
}

func mustAppend(t *testing.T, s store, chat string, turn Turn, images ...Image) {
	t.Helper()
	if err := s.Append(t.Context(), chat, turn, images...); err != nil {
		t.Fatalf("append: %v", err)
	}
}

func mustLoad(t *testing.T, s store, chat string, maxTurns, maxImages int) History {
	t.Helper()
	h, err := s.Load(t.Context(), chat, maxTurns, maxImages)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return h
}

// users lists the User texts of turns, for compact comparisons.
func users(turns []Turn) []string {
	out := make([]string, len(turns))
	for i, tt := range turns {
		out[i] = tt.User
	}
	return out
}

func testAppendLoadOrder(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	if h := mustLoad(t, s, testChat, 0, 3); len(h.Turns) != 0 || len(h.Images) != 0 {
		t.Fatalf("empty chat loaded %+v", h)
	}
	want := []Turn{testTurn(1, 1), testTurn(2, 2), testTurn(1, 3)}
	want[1].Stopped = true
	want[2].Images = []ImageRef{testImage("a").Ref}
	for _, tt := range want {
		mustAppend(t, s, testChat, tt)
	}
	got := mustLoad(t, s, testChat, 0, 0).Turns
	if len(got) != len(want) {
		t.Fatalf("loaded %d turns, want %d", len(got), len(want))
	}
	for i := range want {
		if !turnsEqual(got[i], want[i]) {
			t.Errorf("turn %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	other := mustLoad(t, s, testChat+":other", 0, 0)
	if len(other.Turns) != 0 {
		t.Errorf("another chat sees %d turns", len(other.Turns))
	}
}

func turnsEqual(a, b Turn) bool {
	return a.SenderID == b.SenderID && a.SenderName == b.SenderName && a.User == b.User &&
		a.Assistant == b.Assistant && a.Stopped == b.Stopped && a.Tokens == b.Tokens &&
		a.At.Equal(b.At) && slices.Equal(a.Images, b.Images)
}

func testLoadLimits(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	for i := range 5 {
		mustAppend(t, s, testChat, testTurn(1, i))
	}
	for _, tc := range []struct {
		name     string
		maxTurns int
		want     []string
	}{
		{"all", 0, []string{"q0", "q1", "q2", "q3", "q4"}},
		{"negative means all", -1, []string{"q0", "q1", "q2", "q3", "q4"}},
		{"newest two", 2, []string{"q3", "q4"}},
		{"more than stored", 9, []string{"q0", "q1", "q2", "q3", "q4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := users(mustLoad(t, s, testChat, tc.maxTurns, 0).Turns)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func testImageDedup(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	img := testImage("same photo")
	again := testImage("same photo") // same bytes, another buffer
	t1, t2, t3 := testTurn(1, 1), testTurn(1, 2), testTurn(1, 3)
	t1.Images = []ImageRef{img.Ref}
	t2.Images = []ImageRef{again.Ref, again.Ref}
	t3.Images = []ImageRef{img.Ref} // by reference only
	mustAppend(t, s, testChat, t1, img)
	mustAppend(t, s, testChat, t2, again, again)
	mustAppend(t, s, testChat, t3)
	if got := s.images(testChat); !slices.Equal(got, []string{img.Ref.Hash}) {
		t.Fatalf("stored images %v, want just %s", got, img.Ref.Hash)
	}
	h := mustLoad(t, s, testChat, 0, 5)
	if len(h.Images) != 1 || !bytes.Equal(h.Images[img.Ref.Hash], img.Data) {
		t.Errorf("loaded images %v, want the one photo", mapKeys(h.Images))
	}
}

func mapKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func testImageWindow(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	a, b, c, d := testImage("a"), testImage("b"), testImage("c"), testImage("d")
	for i, imgs := range [][]Image{{a}, {b, c}, nil, {d}} {
		tt := testTurn(1, i)
		for _, img := range imgs {
			tt.Images = append(tt.Images, img.Ref)
		}
		mustAppend(t, s, testChat, tt, imgs...)
	}
	for _, tc := range []struct {
		name      string
		maxTurns  int
		maxImages int
		want      []Image
	}{
		{"none", 0, 0, nil},
		{"newest only", 0, 1, []Image{d}},
		{"newest two", 0, 2, []Image{c, d}},
		{"newest three across turns", 0, 3, []Image{b, c, d}},
		{"more than exist", 0, 10, []Image{a, b, c, d}},
		{"only loaded turns", 2, 10, []Image{d}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := mustLoad(t, s, testChat, tc.maxTurns, tc.maxImages)
			if len(h.Images) != len(tc.want) {
				t.Fatalf("got images %v, want %d", mapKeys(h.Images), len(tc.want))
			}
			for _, img := range tc.want {
				if !bytes.Equal(h.Images[img.Ref.Hash], img.Data) {
					t.Errorf("image %s missing or wrong", img.Ref.Hash[:8])
				}
			}
		})
	}
}

func testImageIsolation(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	img := testImage("x")
	want := bytes.Clone(img.Data)
	tt := testTurn(1, 1)
	tt.Images = []ImageRef{img.Ref}
	mustAppend(t, s, testChat, tt, img)
	img.Data[0] = 'X' // the caller reuses its buffer
	got := mustLoad(t, s, testChat, 0, 1).Images[img.Ref.Hash]
	if !bytes.Equal(got, want) {
		t.Fatalf("stored image changed with the caller's buffer")
	}
	got[0] = 'Y'
	if again := mustLoad(t, s, testChat, 0, 1).Images[img.Ref.Hash]; !bytes.Equal(again, want) {
		t.Fatalf("stored image changed with a loaded copy")
	}
}

func testImagesOfTrimmedTurns(t *testing.T, newStore newStoreFunc) {
	a, b, c, d := testImage("a"), testImage("b"), testImage("c"), testImage("d")
	turn := func(i, tokens int, imgs ...Image) Turn {
		tt := testTurn(1, i)
		tt.Tokens = tokens
		for _, img := range imgs {
			tt.Images = append(tt.Images, img.Ref)
		}
		return tt
	}
	sorted := func(imgs ...Image) []string {
		var out []string
		for _, img := range imgs {
			out = append(out, img.Ref.Hash)
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name  string
		cfg   Config
		turns []Turn
		want  []string
	}{
		{"by turn limit", Config{MaxTurns: 2, MaxTokens: -1},
			[]Turn{turn(1, 1, a, b), turn(2, 1, c), turn(3, 1)}, sorted(c)},
		{"by token budget", Config{MaxTokens: 10},
			[]Turn{turn(1, 5, a), turn(2, 5, b), turn(3, 5, c)}, sorted(b, c)},
		{"still referenced by a kept turn", Config{MaxTurns: 2, MaxTokens: -1},
			[]Turn{turn(1, 1, a, b), turn(2, 1, a), turn(3, 1, d)}, sorted(a, d)},
		{"several trimmed at once", Config{MaxTokens: 10},
			[]Turn{turn(1, 1, a), turn(2, 1, b), turn(3, 10, d)}, sorted(d)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t, tc.cfg)
			for _, tt := range tc.turns {
				var imgs []Image
				for _, img := range []Image{a, b, c, d} {
					if slices.Contains(tt.Images, img.Ref) {
						imgs = append(imgs, img)
					}
				}
				mustAppend(t, s, testChat, tt, imgs...)
			}
			if got := s.images(testChat); !slices.Equal(got, tc.want) {
				t.Errorf("stored images %v, want %v", got, tc.want)
			}
			h := mustLoad(t, s, testChat, 0, 10)
			if len(h.Images) != len(tc.want) {
				t.Errorf("loaded %d images, want %d", len(h.Images), len(tc.want))
			}
		})
	}
}

func testTrimTurns(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{MaxTurns: 3, MaxTokens: -1})
	for i := range 5 {
		mustAppend(t, s, testChat, testTurn(1, i))
	}
	if got := users(mustLoad(t, s, testChat, 0, 0).Turns); !slices.Equal(got, []string{"q2", "q3", "q4"}) {
		t.Errorf("kept %v, want the newest 3", got)
	}
}

func testTrimTokens(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{MaxTokens: 100})
	steps := []struct {
		tokens int
		want   []string
	}{
		{40, []string{"q0"}},
		{40, []string{"q0", "q1"}},
		{20, []string{"q0", "q1", "q2"}}, // exactly 100 fits
		{1, []string{"q1", "q2", "q3"}},  // 101 drops the oldest
		{150, []string{"q4"}},            // over budget alone: newest kept
		{-5, []string{"q5"}},             // 150 no longer fits
		{100, []string{"q5", "q6"}},      // negative counted as zero
		{1, []string{"q7"}},
	}
	for i, st := range steps {
		tt := testTurn(1, i)
		tt.Tokens = st.tokens
		mustAppend(t, s, testChat, tt)
		if got := users(mustLoad(t, s, testChat, 0, 0).Turns); !slices.Equal(got, st.want) {
			t.Fatalf("after %d tokens: kept %v, want %v", st.tokens, got, st.want)
		}
	}
}

func testConcurrency(t *testing.T, newStore newStoreFunc) {
	const writers, each = 50, 4
	s := newStore(t, Config{MaxTurns: 1000, MaxTokens: -1})
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if err := s.Append(t.Context(), testChat, testTurn(w, i)); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("append: %v", err)
	}
	turns := mustLoad(t, s, testChat, 0, 0).Turns
	if len(turns) != writers*each {
		t.Fatalf("loaded %d turns, want %d", len(turns), writers*each)
	}
	next := make(map[string]int)
	for _, tt := range turns {
		if want := fmt.Sprintf("q%d", next[tt.SenderID]); tt.User != want {
			t.Fatalf("writer %s: got %s, want %s", tt.SenderID, tt.User, want)
		}
		next[tt.SenderID]++
	}
}

func testCorruptEntries(t *testing.T, newStore newStoreFunc) {
	s := newStore(t, Config{})
	img := testImage("c")
	mustAppend(t, s, testChat, testTurn(1, 1))
	for _, raw := range []string{
		`secret text{`,
		`{"k":5,"u":"secret foreign"}`,
		`"secret string"`,
		`{"k":1,"i":[{"h":"secret`,
		`{"k":1,"i":"secret","t":"2025-01-01T00:00:00Z"}`,
		``,
	} {
		s.pushRaw(testChat, []byte(raw))
	}
	last := testTurn(1, 2)
	last.Images = []ImageRef{img.Ref}
	mustAppend(t, s, testChat, last, img)
	h := mustLoad(t, s, testChat, 0, 3)
	if got := users(h.Turns); !slices.Equal(got, []string{"q1", "q2"}) {
		t.Fatalf("loaded %v, want the two good turns", got)
	}
	if len(h.Images) != 1 {
		t.Errorf("loaded %d images, want 1", len(h.Images))
	}
	warns := s.logs.find("skip unreadable history entry")
	if len(warns) != 6 {
		t.Fatalf("got %d warnings, want 6: %q", len(warns), warns)
	}
	for _, w := range warns {
		if strings.Contains(w, "secret") || !strings.Contains(w, "}:h") {
			t.Errorf("warning %q must name the key and hide the content", w)
		}
	}
}
