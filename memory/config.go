package memory

import "time"

// Default configuration values, used for zero fields of Config.
const (
	DefaultPrefix    = "qwenbot:"
	DefaultTTL       = 7 * 24 * time.Hour
	DefaultMaxTurns  = 50
	DefaultMaxTokens = 32000
)

// Config tunes a Store or an Embedded store. Zero fields take the defaults.
type Config struct {
	// Prefix starts every key. Braces (and '%') are percent-escaped so they
	// cannot form a Cluster hash tag. Default "qwenbot:".
	Prefix string
	// TTL is how long history, settings and images live after their last
	// use. Default 7 days.
	TTL time.Duration
	// MaxTurns is how many turns a chat's history keeps. Default 50.
	MaxTurns int
	// MaxTokens is the approximate token budget of a chat's history: the
	// oldest turns are dropped once the sum of Turn.Tokens exceeds it (the
	// newest turn is always kept). Default 32000; negative disables it.
	MaxTokens int
	// Now is the clock. Default time.Now. The Redis store uses it only to
	// age images in its image index (an image unused for TTL expires);
	// Redis expires keys on its own clock.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	c.Prefix = escapeTag(c.Prefix)
	if c.TTL <= 0 {
		c.TTL = DefaultTTL
	}
	if c.MaxTurns <= 0 {
		c.MaxTurns = DefaultMaxTurns
	}
	if c.MaxTokens == 0 {
		c.MaxTokens = DefaultMaxTokens
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
