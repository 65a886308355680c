// Package tgtest is a fake Telegram Bot API for tests: an httptest server
// that answers the methods the telegram adapter uses (getMe, getUpdates
// with long-poll semantics, sendMessage, editMessageText, sendMessageDraft,
// sendChatAction, deleteMessage, getFile and file downloads, setMyCommands,
// setWebhook, deleteWebhook, answerCallbackQuery, and Bot API 10.1's
// sendRichMessage, sendRichMessageDraft and editMessageText with
// rich_message, validated by ValidateRichMarkdown), records every call, and
// can be scripted to fail with the Bot API's real error shapes.
// SetOldServer makes it a server from before rich messages.
//
// Point a client at it with the API URL Server.URL and token Server.Token.
// The server listens on loopback only and never reaches the internet.
package tgtest
