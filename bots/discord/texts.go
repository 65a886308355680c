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

// langOf returns the language of the adapter's own texts for a user whose
// Discord client uses locale: locale, else the configured language.
func (b *Bot) langOf(locale string) string {
	if locale != "" {
		return locale
	}
	return b.cfg.Language
}

// isZh reports whether lang is Chinese.
func isZh(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "zh") }

// solvePrompt is the question of "Solve with Qwen", in lang.
func solvePrompt(lang string) string {
	if isZh(lang) {
		return "请解答这条消息里的题目，写出解题步骤。"
	}
	return "Solve the problem in this message, showing the steps."
}

// explainPrompt is the question of "Explain this" when the user typed no
// follow-up, in lang.
func explainPrompt(lang string) string {
	if isZh(lang) {
		return "请解释这条消息。"
	}
	return "Explain this message."
}

// explainTitle is the title of the "Explain this" modal, in lang.
func explainTitle(lang string) string {
	if isZh(lang) {
		return "解释这条消息"
	}
	return "Explain this message"
}

// explainLabel labels the follow-up input of the "Explain this" modal.
func explainLabel(lang string) string {
	if isZh(lang) {
		return "想问什么？（可选）"
	}
	return "What do you want to know? (optional)"
}

// explainPlaceholder is the follow-up input's placeholder, in lang.
func explainPlaceholder(lang string) string {
	if isZh(lang) {
		return "例如：第二步为什么成立？"
	}
	return "e.g. why does the second step hold?"
}

// targetGoneText tells the user the message to explain could not be read.
func targetGoneText(lang string) string {
	if isZh(lang) {
		return "⚠️ 读不到那条消息了，请再试一次。"
	}
	return "⚠️ Could not read that message any more; please try again."
}
