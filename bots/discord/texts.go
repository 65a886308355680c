package discord

import "time"

// Texts the adapter itself shows users. The engine words everything else.
const (
	textDenied      = "Sorry, you can't use this bot here."
	textDeniedDM    = "Sorry, I don't answer direct messages."
	textUnknown     = "Sorry, I don't know that command."
	textUnavailable = "⚠️ Sorry, I can't take new questions right now (the bot is restarting). Please try again in a minute."
)

// noticeTimeout bounds sending one notice after the request's own context
// has ended.
const noticeTimeout = 10 * time.Second
