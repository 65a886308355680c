// Package memory keeps per-chat conversation state: the history of turns,
// the images those turns reference, per-chat settings, per-chat locks and
// small counters (update de-duplication, daily token usage).
//
// Two implementations share one method set and one test suite: *Store keeps
// everything in Redis (single node, Sentinel or Cluster via
// redis.UniversalClient) and *Embedded keeps it in process memory, for
// trying the bot without Redis (history is lost on restart).
//
// Redis layout, with every key of one chat in one Cluster slot thanks to the
// {chat} hash tag:
//
//	<prefix>{<chat>}:h             list of JSON turns, oldest first
//	<prefix>{<chat>}:s             hash of settings
//	<prefix>{<chat>}:img           hash of image bytes by sha256, each stored once
//	<prefix>{<chat>}:imgs          sorted set of those hashes by last use (ms), to age them
//	<prefix>{<chat>}:lock          lock owner token
//	<prefix>seen:{<id>}            de-duplication marker
//	<prefix>usage:{<counter>}      usage counter
//
// A turn costs two Redis round trips: Load (history, images and settings)
// before asking the model and Append after the answer; both are single Lua
// scripts that declare every key they touch. AppendIfLocked checks the
// chat's lock in the same script, so the engine's turn costs four round
// trips (lock, Load, AppendIfLocked, unlock; bots'
// TestEngineTurnRedisRoundTrips asserts it), plus the usage counters when
// token budgets are on. An image lives while a stored turn references it
// and it was used within the TTL.
//
// The scripts need Redis 6.0 or newer (or a compatible server).
//
// The package knows nothing about chat platforms or language models.
package memory
