// Package telegram connects the bots engine to Telegram through the Bot API
// (github.com/go-telegram-bot-api/telegram-bot-api/v5, imported as
// tgbotapi).
//
// A Bot receives updates by long polling or through a webhook, decides which
// messages are addressed to it (every message in private chats; mentions,
// replies to the bot and /ask in groups), downloads their images, and hands
// the engine a bots.Turn or a bots.Command. It implements bots.Surface (and
// bots.Drafter in private chats) for each chat and forum topic, mapping
// Telegram's errors to the engine's typed errors.
//
// Where tgbotapi v5.5.1 lacks newer Bot API features (forum topics,
// sendMessageDraft, reply_parameters, link_preview_options, command scopes)
// the package calls the methods through tgbotapi's MakeRequest and decodes
// the raw update JSON itself.
//
// The bot token never appears in returned errors or logs: errors from the
// HTTP layer carry the token in their URL and are scrubbed.
//
// The package knows nothing about the language model or the history store.
package telegram
