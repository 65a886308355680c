package bots

import (
	"slices"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
)

func TestPromptMessages(t *testing.T) {
	img := func(b byte) memory.Image { return memory.NewImage("image/jpeg", []byte{b}, 1, 1) }
	a, b, c, d := img(1), img(2), img(3), img(4)
	turns := []memory.Turn{
		{SenderName: "Ann", User: "first", Assistant: "one", Images: []memory.ImageRef{a.Ref, b.Ref}},
		{SenderName: "Bob", User: "second", Assistant: "", Stopped: true, Images: []memory.ImageRef{c.Ref}},
		{SenderName: "Ann", User: "third", Assistant: "three", Images: []memory.ImageRef{d.Ref}},
	}
	data := map[string][]byte{b.Ref.Hash: b.Data, c.Ref.Hash: c.Data, d.Ref.Hash: d.Data}
	tests := []struct {
		name   string
		p      prompt
		images []string // per user message: image data bytes as string, "[image]" for placeholders
		texts  []string // every text of every message, in order
	}{
		{
			name:   "window of two",
			p:      prompt{turns: turns, data: data, window: 2, text: "new", images: []preparedImage{{img: img(5)}}},
			images: []string{"[image]", "[image]", "\x03", "\x04", "\x05"},
			texts:  []string{"first", "one", "second", stoppedPlaceholder, "third", "three", "new"},
		},
		{
			name:   "expired bytes stay placeholders",
			p:      prompt{turns: turns, data: data, window: 10, text: "new"},
			images: []string{"[image]", "\x02", "\x03", "\x04"},
			texts:  []string{"first", "one", "second", stoppedPlaceholder, "third", "three", "new"},
		},
		{
			name:   "no window",
			p:      prompt{turns: turns[2:], data: data, window: 0, text: "new"},
			images: []string{"[image]"},
			texts:  []string{"third", "three", "new"},
		},
		{
			name:   "group labels",
			p:      prompt{turns: turns[2:], data: data, group: true, name: " Bob \n Smith", text: "hi"},
			images: []string{"[image]"},
			texts:  []string{"Ann: third", "three", "Bob Smith: hi"},
		},
		{
			name:  "group sender without a name",
			p:     prompt{group: true, text: "hi"},
			texts: []string{"User: hi"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msgs := tc.p.messages()
			var images, texts []string
			for i, m := range msgs {
				want := llm.RoleUser
				if i%2 == 1 {
					want = llm.RoleAssistant
				}
				if m.Role != want {
					t.Errorf("message %d has role %s, want %s", i, m.Role, want)
				}
				for _, p := range m.Parts {
					switch {
					case p.Image != nil:
						images = append(images, string(p.Image.Data))
					case p.Text == imagePlaceholder:
						images = append(images, imagePlaceholder)
					default:
						texts = append(texts, p.Text)
					}
				}
			}
			if !slices.Equal(images, tc.images) {
				t.Errorf("images %q, want %q", images, tc.images)
			}
			if !slices.Equal(texts, tc.texts) {
				t.Errorf("texts %q, want %q", texts, tc.texts)
			}
		})
	}
}

func TestTail(t *testing.T) {
	turns := []memory.Turn{{User: "1"}, {User: "2"}, {User: "3"}}
	for _, tc := range []struct {
		n    int
		want int
	}{{-1, 0}, {0, 0}, {2, 2}, {3, 3}, {9, 3}} {
		got := tail(turns, tc.n)
		if len(got) != tc.want || (tc.want > 0 && got[len(got)-1].User != "3") {
			t.Errorf("tail(%d) = %v, want the newest %d", tc.n, got, tc.want)
		}
	}
}
