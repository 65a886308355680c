// Package tgtest is a fake Telegram Bot API for tests: an httptest server
// that answers the methods the telegram adapter uses (getMe, getUpdates
// with long-poll semantics, sendMessage, editMessageText, sendMessageDraft,
// sendChatAction, deleteMessage, getFile and file downloads, setMyCommands,
// setWebhook, deleteWebhook, answerCallbackQuery), records every call, and
// can be scripted to fail with the Bot API's real error shapes.
//
// Point a client at it with the API URL Server.URL and token Server.Token.
// The server listens on loopback only and never reaches the internet.
package tgtest
