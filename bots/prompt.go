package bots

import (
	"strings"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
)

// imagePlaceholder stands in the prompt for an image that is no longer
// re-sent to the model.
const imagePlaceholder = "[image]"

// stoppedPlaceholder stands in the prompt for the answer of a turn that
// was stopped before it said anything.
const stoppedPlaceholder = "[stopped]"

// preparedImage is an image of the new turn after the image pipeline.
type preparedImage struct {
	img    memory.Image
	tokens int
}

// prompt is what one model request is assembled from.
type prompt struct {
	// turns are the history turns to include, oldest first.
	turns []memory.Turn
	// data holds the bytes of the history images that may be re-sent.
	data map[string][]byte
	// window is how many of the newest history images are re-sent.
	window int
	group  bool
	// name labels the new message in group chats.
	name   string
	text   string
	images []preparedImage
	videos []preparedVideo
}

// messages returns the conversation for the model: the history as user and
// assistant messages, then the new message. In groups each user message
// starts with its sender's name. Only the newest window history images are
// sent as images; older ones (and any whose bytes expired) become
// "[image]".
func (p prompt) messages() []llm.Message {
	send := p.imageWindow()
	msgs := make([]llm.Message, 0, 2*len(p.turns)+1)
	for i, t := range p.turns {
		parts := make([]llm.Part, 0, len(t.Images)+1)
		for j, ref := range t.Images {
			if send[i][j] {
				parts = append(parts, llm.ImagePart(ref.MIME, p.data[ref.Hash]))
			} else {
				parts = append(parts, llm.TextPart(imagePlaceholder))
			}
		}
		parts = append(parts, llm.TextPart(label(p.group, t.SenderName, t.User)))
		msgs = append(msgs, llm.Message{Role: llm.RoleUser, Parts: parts})
		answer := t.Assistant
		if answer == "" {
			answer = stoppedPlaceholder
		}
		msgs = append(msgs, llm.Message{Role: llm.RoleAssistant, Parts: []llm.Part{llm.TextPart(answer)}})
	}
	parts := make([]llm.Part, 0, len(p.videos)+len(p.images)+1)
	for _, v := range p.videos {
		parts = append(parts, v.part())
	}
	for _, im := range p.images {
		parts = append(parts, llm.ImagePart(im.img.Ref.MIME, im.img.Data))
	}
	parts = append(parts, llm.TextPart(label(p.group, p.name, p.text)))
	return append(msgs, llm.Message{Role: llm.RoleUser, Parts: parts})
}

// imageWindow marks, per turn and image, whether the image is re-sent:
// the newest window image references whose bytes are at hand.
func (p prompt) imageWindow() [][]bool {
	send := make([][]bool, len(p.turns))
	left := p.window
	for i := len(p.turns) - 1; i >= 0; i-- {
		refs := p.turns[i].Images
		send[i] = make([]bool, len(refs))
		for j := len(refs) - 1; j >= 0 && left > 0; j-- {
			left--
			_, ok := p.data[refs[j].Hash]
			send[i][j] = ok
		}
	}
	return send
}

// label prefixes text with the sender's name in group chats, so the model
// can tell the members apart.
func label(group bool, name, text string) string {
	if !group {
		return text
	}
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		name = "User"
	}
	return name + ": " + text
}

// tail returns the last n turns (all when n ≥ len, none when n ≤ 0).
func tail(turns []memory.Turn, n int) []memory.Turn {
	if n <= 0 {
		return nil
	}
	if n >= len(turns) {
		return turns
	}
	return turns[len(turns)-n:]
}
