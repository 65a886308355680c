package bots

import "github.com/qwenbot/qwenbot/memory"

// Estimates of what a history image costs in a prompt.
const (
	// imagePixelsPerToken is Qwen3-VL's 32×32 pixels per token.
	imagePixelsPerToken = 32 * 32
	// unknownImageTokens is the guess for an image stored without its
	// size: about a 1280×960 photo.
	unknownImageTokens = 1200
	// placeholderTokens is the cost of an "[image]" placeholder.
	placeholderTokens = 2
)

// fitHistory returns how many of the newest turns fit in budget estimated
// prompt tokens, walking from the newest turn back and stopping at the first
// that does not fit. A turn costs its texts (about one token per three
// bytes) and its images: those among the newest window image references
// whose bytes are in data cost their pixels, the others a placeholder. A
// negative budget fits every turn. Older turns are only left out of the
// prompt; they stay stored.
func fitHistory(turns []memory.Turn, data map[string][]byte, window, budget int) int {
	if budget < 0 {
		return len(turns)
	}
	left, used := window, 0
	for i := len(turns) - 1; i >= 0; i-- {
		t := turns[i]
		cost := estimateTokens(t.User) + estimateTokens(t.Assistant)
		for j := len(t.Images) - 1; j >= 0; j-- {
			_, ok := data[t.Images[j].Hash]
			if left > 0 && ok {
				cost += historyImageTokens(t.Images[j])
			} else {
				cost += placeholderTokens
			}
			if left > 0 {
				left--
			}
		}
		if used+cost > budget {
			return len(turns) - 1 - i
		}
		used += cost
	}
	return len(turns)
}

// historyImageTokens estimates the tokens the model spends on a stored
// image when it is re-sent.
func historyImageTokens(ref memory.ImageRef) int {
	if ref.Width <= 0 || ref.Height <= 0 {
		return unknownImageTokens
	}
	return ref.Width*ref.Height/imagePixelsPerToken + 2
}
