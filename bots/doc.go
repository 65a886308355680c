// Package bots is qwenbot's platform-neutral conversation engine.
//
// It turns a user's message (a Turn) into a streamed answer: it queues turns
// per chat, assembles the prompt from history, streams from the language
// model into the chat through package pace (which paces, lays out and renders
// the reply), prepares images, and stores the finished turn.
//
// Platform adapters (bots/telegram, bots/discord) translate platform events
// into Turns and implement the Surface interface for their platform. This
// package knows nothing of any chat platform's API: it sees only Surface.
package bots
