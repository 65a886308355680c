package memory

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEncodeTurnPrefix(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	img := testImage("p")
	for _, tc := range []struct {
		name       string
		turn       Turn
		wantPrefix string
		wantTokens int
	}{
		{"no images", Turn{Tokens: 42, User: `{"k":7}`}, `{"k":42,"sid`, 42},
		{"images second", Turn{Tokens: 3, Images: []ImageRef{img.Ref}}, `{"k":3,"i":[{"h":"`, 3},
		{"negative clamped", Turn{Tokens: -9}, `{"k":0,`, 0},
		{"zero", Turn{}, `{"k":0,`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.turn.SenderID = "s"
			raw, err := encodeTurn(tc.turn, now)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(raw), tc.wantPrefix) {
				t.Errorf("encoded %s, want prefix %s", raw, tc.wantPrefix)
			}
			if got := rawTokens(raw); got != tc.wantTokens {
				t.Errorf("rawTokens = %d, want %d", got, tc.wantTokens)
			}
			back, err := decodeTurn(raw)
			if err != nil || !back.At.Equal(now) {
				t.Errorf("decoded %+v, %v; want At set to now", back, err)
			}
		})
	}
}

func TestRawTokensForeign(t *testing.T) {
	for _, raw := range []string{"", "{", `{"k":`, `{"k":x}`, `{"u":"a","k":5}`, `{"k":99999999999999999999999}`, `null`} {
		t.Run(raw, func(t *testing.T) {
			if got := rawTokens([]byte(raw)); got != 0 {
				t.Errorf("rawTokens(%q) = %d, want 0", raw, got)
			}
		})
	}
}

func TestKeepCount(t *testing.T) {
	for _, tc := range []struct {
		name               string
		tokens             []int
		maxTurns, maxToken int
		want               int
	}{
		{"empty", nil, 5, 100, 0},
		{"all fit", []int{10, 10}, 5, 100, 2},
		{"turn limit", []int{1, 1, 1, 1}, 3, 100, 3},
		{"token budget", []int{50, 30, 30, 30}, 10, 90, 3},
		{"budget exact", []int{50, 50}, 10, 100, 2},
		{"newest over budget", []int{1, 500}, 10, 100, 1},
		{"no budget", []int{500, 500}, 10, -1, 2},
		{"zero budget keeps newest", []int{0, 1}, 10, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := keepCount(len(tc.tokens), func(i int) int { return tc.tokens[i] }, tc.maxTurns, tc.maxToken)
			if got != tc.want {
				t.Errorf("keepCount = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestImageWindow(t *testing.T) {
	h := func(s string) string { return testImage(s).Ref.Hash }
	ref := func(s string) ImageRef { return ImageRef{Hash: h(s)} }
	turns := []Turn{
		{Images: []ImageRef{ref("a"), ref("b")}},
		{Images: []ImageRef{{Hash: "bad"}, ref("c")}},
		{},
		{Images: []ImageRef{ref("a")}},
	}
	for _, tc := range []struct {
		n    int
		want []string
	}{
		{0, nil},
		{1, []string{h("a")}},
		{2, []string{h("a"), h("c")}},
		{3, []string{h("a"), h("c"), h("b")}},
		{9, []string{h("a"), h("c"), h("b")}},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			if got := imageWindow(turns, tc.n); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestImageUploads(t *testing.T) {
	a, b := testImage("a"), testImage("b")
	ups, err := imageUploads([]ImageRef{a.Ref, b.Ref, a.Ref}, []Image{a, a})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 2 || ups[0].hash != a.Ref.Hash || ups[0].data == nil || ups[1].hash != b.Ref.Hash || ups[1].data != nil {
		t.Errorf("uploads %+v, want a with data then b as a refresh", ups)
	}
}

func TestSettingsFields(t *testing.T) {
	on := true
	for _, tc := range []struct {
		name string
		in   Settings
		want int
	}{
		{"zero", Settings{}, 0},
		{"thinking", Settings{Thinking: &on}, 2},
		{"all", Settings{Thinking: &on, SystemPrompt: "p", Model: "m", Lang: "l"}, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := settingsFields(tc.in)
			if len(f) != tc.want {
				t.Fatalf("fields %v, want %d values", f, tc.want)
			}
			m := make(map[string]string)
			for i := 0; i < len(f); i += 2 {
				m[f[i].(string)] = f[i+1].(string)
			}
			if got := parseSettings(m); !settingsEqual(got, tc.in) {
				t.Errorf("round trip %+v, want %+v", got, tc.in)
			}
		})
	}
	if got := parseSettings(map[string]string{fieldThinking: "maybe", "extra": "x"}); got.Thinking != nil {
		t.Errorf("unreadable thinking flag parsed as %v", *got.Thinking)
	}
}

func FuzzDecodeTurn(f *testing.F) {
	good, _ := json.Marshal(Turn{Tokens: 5, User: "hi", At: time.Unix(1, 0)})
	for _, seed := range []string{string(good), "", "{", `{"k":1,"i":[{"h":1}]}`, `{"t":"x"}`, `[1,2]`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		turn, err := decodeTurn(raw)
		if err == nil && turn.At.IsZero() {
			t.Fatalf("accepted a turn without timestamp: %q", raw)
		}
		n := rawTokens(raw)
		if n < 0 {
			t.Fatalf("rawTokens(%q) = %d", raw, n)
		}
	})
}

func FuzzTokensPrefix(f *testing.F) {
	for _, seed := range []struct {
		tokens int
		user   string
	}{{0, ""}, {12, `{"k":99}`}, {1 << 40, "x"}, {-3, "é"}} {
		f.Add(seed.tokens, seed.user)
	}
	f.Fuzz(func(t *testing.T, tokens int, user string) {
		raw, err := encodeTurn(Turn{Tokens: tokens, User: user}, time.Unix(0, 1))
		if err != nil {
			t.Skip("not encodable")
		}
		if got, want := rawTokens(raw), max(tokens, 0); got != want {
			t.Fatalf("rawTokens = %d, want %d for %s", got, want, raw)
		}
	})
}
