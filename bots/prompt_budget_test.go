package bots

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
)

func TestFitHistory(t *testing.T) {
	photo := memory.NewImage("image/jpeg", []byte{1}, 1280, 960) // 1200 + 2 tokens
	other := memory.NewImage("image/jpeg", []byte{2}, 0, 0)      // size unknown: 1200
	text := strings.Repeat("x", 300)                             // 100 tokens
	plainTurn := memory.Turn{User: text, Assistant: text}        // 200
	photoTurn := memory.Turn{User: text, Assistant: text, Images: []memory.ImageRef{photo.Ref}}
	data := map[string][]byte{photo.Ref.Hash: photo.Data, other.Ref.Hash: other.Data}
	tests := []struct {
		name   string
		turns  []memory.Turn
		data   map[string][]byte
		window int
		budget int
		want   int
	}{
		{name: "no budget keeps all", turns: slices.Repeat([]memory.Turn{plainTurn}, 50), budget: -1, want: 50},
		{name: "texts cut to the budget", turns: slices.Repeat([]memory.Turn{plainTurn}, 50), budget: 1000, want: 5},
		{name: "exact fit", turns: slices.Repeat([]memory.Turn{plainTurn}, 3), budget: 600, want: 3},
		{name: "zero budget keeps none", turns: []memory.Turn{plainTurn}, budget: 0, want: 0},
		{
			name:  "re-sent images count, older ones are placeholders",
			turns: slices.Repeat([]memory.Turn{photoTurn}, 20), data: data, window: 2,
			// 2 × 1402, then 204 per turn: 2804 + 5×204 = 3824 ≤ 4000 < 4028
			budget: 4000, want: 7,
		},
		{
			name:  "images without bytes are placeholders",
			turns: slices.Repeat([]memory.Turn{photoTurn}, 20), data: nil, window: 3,
			budget: 1020, want: 5,
		},
		{
			name:  "unknown size",
			turns: []memory.Turn{{Images: []memory.ImageRef{other.Ref}}, {Images: []memory.ImageRef{other.Ref}}}, data: data, window: 3,
			budget: 2000, want: 1,
		},
		{
			name:  "stops at the first turn that does not fit",
			turns: []memory.Turn{plainTurn, {User: strings.Repeat("y", 3000)}, plainTurn}, budget: 900, want: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fitHistory(tt.turns, tt.data, tt.window, tt.budget); got != tt.want {
				t.Errorf("fitHistory = %d turns, want %d", got, tt.want)
			}
		})
	}
}

func TestEngineCutsLongHistoryToTheTokenBudget(t *testing.T) {
	tests := []struct {
		name   string
		budget int
		want   int // history turns sent
	}{
		{name: "budget", budget: 100, want: 5}, // 20 tokens per turn
		{name: "no budget", budget: -1, want: 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newFakeModel()
			m.Auto = func(llm.Request) []step { return answerSteps("fine") }
			store := newEmbeddedStore(t)
			for i := range 30 {
				q, a := fmt.Sprintf("q%02d%s", i, strings.Repeat(".", 27)), strings.Repeat("a", 30)
				if err := store.Append(context.Background(), "tg:1", memoryTurn(q, a)); err != nil {
					t.Fatal(err)
				}
			}
			e := newTestEngine(t, Config{HistoryTurns: 100, HistoryTokens: tt.budget}, m, store)
			s := newRecSurface()
			if err := e.Submit(context.Background(), turnFor("tg:1", "new", s)); err != nil {
				t.Fatal(err)
			}
			s.WaitText(t, "fine")
			e.Wait()
			reqs := m.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d model requests, want 1", len(reqs))
			}
			texts := userTexts(reqs[0])
			if len(texts) != tt.want+1 || texts[len(texts)-1] != "new" {
				t.Fatalf("user texts %q, want the newest %d history turns and the new message", texts, tt.want)
			}
			if first := fmt.Sprintf("q%02d", 30-tt.want); !strings.HasPrefix(texts[0], first) {
				t.Errorf("oldest history turn sent %q, want %s…", texts[0], first)
			}
			if n := len(loadTurns(t, store, "tg:1")); n != 31 {
				t.Errorf("%d turns stored, want all 31 (the budget cuts only the prompt)", n)
			}
		})
	}
}
