package discord

import "strings"

// busyText tells a user that the channel has too many requests waiting,
// in lang ("zh" or English).
func busyText(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		return "这个频道排队的请求太多了，请稍后再试。"
	}
	return "Too many requests are waiting in this channel; please try again in a moment."
}

// stillQueuedText fills an interaction's deferred response when the answer
// could not start before the interaction's token ran out, in lang.
func stillQueuedText(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "zh") {
		return "⏳ 你的问题仍在排队，回答会以新消息发送。"
	}
	return "⏳ Your question is still waiting its turn; the answer will follow in a new message."
}
