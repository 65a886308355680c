package pace

import (
	"strings"
	"unicode/utf8"

	"github.com/qwenbot/qwenbot/bots/render"
)

// richLayout lays out a state as rich Markdown (FormatRich): the live
// thinking section while the model reasons, then the answer converted by
// render.Rich (a partial answer is held back where it could be refused) and
// split by render.RichSplit only beyond the rich limits, the note in italics
// at the end of the last part.
func (rl replyLayout) richLayout(st State) []string {
	maxLen, maxBlocks := rl.limits.RichMaxLen, rl.limits.RichMaxBlocks
	var parts []string
	if strings.TrimSpace(st.Answer) != "" {
		if md := render.Rich(st.Answer, !st.Final); md != "" {
			parts = render.RichSplit(md, maxLen-noteRoom, maxBlocks-1)
		}
	}
	note := st.Note
	if len(parts) == 0 {
		switch {
		case st.Reasoning != "":
			parts = []string{render.RichThinking(st.Reasoning, thinkingChars)}
		case !st.Final && st.Placeholder != "":
			parts = []string{render.RichEscape(st.Placeholder)}
		}
		if st.Final && note == "" {
			note = st.EmptyNote
		}
	}
	if note == "" {
		return parts
	}
	text := "*" + render.RichEscape(note) + "*"
	if len(parts) == 0 {
		return []string{text}
	}
	last := parts[len(parts)-1] + "\n\n" + text
	if (maxLen <= 0 || utf8.RuneCountInString(last) <= maxLen) &&
		(maxBlocks <= 0 || render.RichBlocks(last) <= maxBlocks) {
		parts[len(parts)-1] = last
		return parts
	}
	return append(parts, text)
}

// noteRoom is kept free in each rich part for a note.
const noteRoom = 300
