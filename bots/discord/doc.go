// Package discord connects the bots engine to Discord through discordgo.
//
// It translates gateway events (slash commands, mentions of the bot,
// replies to the bot, DMs) and HTTP interaction webhooks into engine turns
// and commands, and implements the engine's reply surface twice: on an
// interaction (deferred at once, then streamed by editing the original
// response, with followups for continuation parts and a fallback to channel
// messages when the 15-minute interaction token runs out) and on plain
// channel messages (replies that are edited in place).
//
// Gateway handlers never block but for journaling a message: each
// channel's messages and interactions are handled one at a time in arrival
// order (downloads, then submitting), with a bound on the jobs running
// across channels, while interactions are acknowledged at once, outside
// that bound, to meet Discord's 3 seconds.
//
// With a Journal (UseJournal), every interaction with work beyond its
// response is recorded before it is acknowledged, and every message meant
// for the bot before it is queued; the record ends with its turn, and
// the records of a process that died are claimed and handled again, in
// order, by another (or the restarted) process.
//
// The package knows discordgo and the bots types; it knows nothing of the
// model client, of Redis, or of any other platform. It never changes
// discordgo's package-level endpoint variables: the configurable REST base
// URL is applied by the session's HTTP transport.
package discord
