// Package render turns the language model's Markdown (with LaTeX) into text
// a chat platform can show: Telegram HTML, Discord Markdown, or plain text.
//
// It converts LaTeX math to readable Unicode, renders Markdown with a real
// parser (goldmark) into only the markup a platform accepts, measures text
// the way each platform counts its length limit, splits long answers into
// messages without breaking code blocks, and formats the live "thinking"
// section shown while the model reasons.
//
// Rich prepares the same Markdown for Telegram's rich messages instead,
// which Telegram parses itself: it keeps the Markdown, turns every LaTeX
// delimiter into the $…$ and $$…$$ rich Markdown reads as native math,
// escapes what would be misread, keeps each state of a streaming answer
// valid, and RichSplit splits only beyond the rich limits.
//
// Everything here is a pure function of its input: the package knows no
// chat platform API, no language model client and no storage, holds no
// mutable state, and is safe for concurrent use.
package render
