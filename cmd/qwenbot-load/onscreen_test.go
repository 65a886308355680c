package main

import (
	"testing"
	"time"
)

func TestReadScreen(t *testing.T) {
	const answer = 5
	tests := []struct {
		name string
		ev   visibleEvent
		want screen
	}{
		{"placeholder", visibleEvent{kind: visibleSend, text: "…", markup: true}, screen{}},
		{"thinking placeholder", visibleEvent{kind: visibleSend, text: "💭 Thinking…", markup: true}, screen{}},
		{"chinese thinking placeholder", visibleEvent{kind: visibleSend, text: "💭 思考中…", markup: true}, screen{}},
		{"empty thinking section", visibleEvent{kind: visibleEdit,
			text: "<blockquote expandable>💭 Thinking…</blockquote>", markup: true}, screen{}},
		{"thinking section with reasoning", visibleEvent{kind: visibleEdit,
			text: "<blockquote expandable>💭 Thinking…\nr1 r2 r3</blockquote>", markup: true}, screen{modelText: true}},
		{"draft of reasoning", visibleEvent{kind: visibleDraft, text: "💭 Thinking…\nr1"}, screen{modelText: true}},
		{"partial answer", visibleEvent{kind: visibleEdit, text: "x1 x2 x3", markup: true},
			screen{upto: 3, modelText: true}},
		{"full answer still with the stop button", visibleEvent{kind: visibleEdit, text: "x1 x2 x3 x4 x5", markup: true},
			screen{upto: 5, modelText: true}},
		{"full answer as a draft", visibleEvent{kind: visibleDraft, text: "x1 x2 x3 x4 x5"},
			screen{upto: 5, modelText: true}},
		{"final", visibleEvent{kind: visibleEdit, text: "<b>x1</b> x2 x3 x4 x5"},
			screen{upto: 5, modelText: true, final: true}},
		{"final sent as a new message", visibleEvent{kind: visibleSend, text: "x1 x2 x3 x4 x5"},
			screen{upto: 5, modelText: true, final: true}},
		{"answer cut short without a keyboard", visibleEvent{kind: visibleEdit, text: "x1 x2 x3\n\n⚠️ interrupted: timeout"},
			screen{upto: 3, modelText: true}},
		{"notice", visibleEvent{kind: visibleSend, text: "I'm still working on your earlier messages."}, screen{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := readScreen(tc.ev, answer); got != tc.want {
				t.Errorf("readScreen(%q) = %+v, want %+v", tc.ev.text, got, tc.want)
			}
		})
	}
}

// visible is one change of a hand-made sequence, d after the start.
type visible struct {
	d  time.Duration
	ev visibleEvent
}

func TestTurnLatencies(t *testing.T) {
	const answer = 4
	ms := time.Millisecond
	tests := []struct {
		name   string
		frames []stamp // upto 0: a reasoning frame
		shown  []visible
		want   turnStats
	}{
		{
			name:   "placeholder first, then reasoning, answer and final",
			frames: []stamp{{at(800 * ms), 0}, {at(900 * ms), 2}, {at(1000 * ms), 4}},
			shown: []visible{
				{100 * ms, visibleEvent{kind: visibleSend, text: "💭 Thinking…", markup: true}},
				{860 * ms, visibleEvent{kind: visibleEdit, text: "<blockquote expandable>💭 Thinking…\nr1</blockquote>", markup: true}},
				{960 * ms, visibleEvent{kind: visibleEdit, text: "x1 x2", markup: true}},
				{1040 * ms, visibleEvent{kind: visibleEdit, text: "x1 x2 x3 x4", markup: true}},
				{1075 * ms, visibleEvent{kind: visibleEdit, text: "x1 x2 x3 x4"}},
			},
			want: turnStats{delivered: true, firstVisible: 0, firstText: 60 * ms,
				finalAfterLast: 75 * ms, question: 1075 * ms, edits: 5},
		},
		{
			name:   "drafts in a private chat, then the final message",
			frames: []stamp{{at(800 * ms), 2}, {at(850 * ms), 4}},
			shown: []visible{
				{830 * ms, visibleEvent{kind: visibleDraft, text: "x1 x2"}},
				{880 * ms, visibleEvent{kind: visibleDraft, text: "x1 x2 x3 x4"}},
				{1300 * ms, visibleEvent{kind: visibleSend, text: "x1 x2 x3 x4"}},
			},
			want: turnStats{delivered: true, firstVisible: 30 * ms, firstText: 30 * ms,
				finalAfterLast: 450 * ms, question: 1300 * ms, edits: 3},
		},
		{
			name:   "never finished",
			frames: []stamp{{at(800 * ms), 2}},
			shown: []visible{
				{100 * ms, visibleEvent{kind: visibleSend, text: "…", markup: true}},
			},
			want: turnStats{firstVisible: 0, firstText: -1, finalAfterLast: -1, question: -1, edits: 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := newTurn(&simChat{}, 1, answer)
			rec.markSent(at(0))
			for _, f := range tc.frames {
				rec.onFrame(f.at, f.upto, f.upto > 0)
			}
			for _, v := range tc.shown {
				rec.onVisible(at(v.d), readScreen(v.ev, answer))
			}
			got := rec.stats()
			got.staleness = nil
			if got.delivered != tc.want.delivered || got.firstVisible != tc.want.firstVisible ||
				got.firstText != tc.want.firstText || got.finalAfterLast != tc.want.finalAfterLast ||
				got.question != tc.want.question || got.edits != tc.want.edits {
				t.Errorf("stats = %+v, want %+v", got, tc.want)
			}
			select {
			case <-rec.done:
				if !tc.want.delivered {
					t.Error("done closed without a final")
				}
			default:
				if tc.want.delivered {
					t.Error("done not closed after the final")
				}
			}
		})
	}
}
