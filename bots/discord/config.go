package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// Discord lets a bot post about 5 messages per 5 s in a channel.
const (
	channelPerSecond = 1
	channelBurst     = 5
)

// Defaults New applies to zero Config fields.
const (
	DefaultEditInterval = time.Second
	// The image limits are the engine's, so the adapter never fetches an
	// image the engine would refuse.
	DefaultMaxImages     = bots.DefaultMaxImages
	DefaultMaxImageBytes = bots.DefaultMaxImageBytes
)

// Config holds the adapter's settings; cmd fills it from config.toml. Zero
// values get the defaults documented on each field.
type Config struct {
	// APIURL is the REST base, e.g. "https://discord.com/api/v10" or a
	// reverse proxy. Empty means discordgo's default.
	APIURL string
	// ApplicationID is the application (client) id. Empty means ask Discord
	// at startup.
	ApplicationID string
	// DevGuildID registers the slash commands in this guild only (they
	// appear at once there) instead of globally.
	DevGuildID string
	// InteractionsListen is the address of the HTTP interactions endpoint;
	// empty disables it.
	InteractionsListen string
	// PublicKey is the application's hex Ed25519 public key, required for
	// the HTTP interactions endpoint.
	PublicKey string
	// Gateway opens a gateway connection (slash commands, mentions, DMs).
	Gateway bool
	// MessageContent requests the privileged message content intent, needed
	// to see replies to the bot that do not ping it.
	MessageContent bool
	// DMs lets users talk to the bot in direct messages.
	DMs bool
	// Allow-lists; an empty list allows everyone. Users and roles combine:
	// when either list is set, a user must be listed or hold a listed role.
	AllowedGuilds   []string
	AllowedChannels []string
	AllowedUsers    []string
	AllowedRoles    []string
	// Admins are user ids allowed everywhere and marked as admins in turns.
	Admins []string
	// EditInterval is the minimum time between two message requests in one
	// channel (default 1s).
	EditInterval time.Duration
	// ShardID and ShardCount split the gateway across processes; a zero
	// ShardCount means one shard.
	ShardID, ShardCount int
	// MaxImages caps the images of one turn (default 6).
	MaxImages int
	// MaxImageBytes caps the size of one downloaded image (default 20 MiB).
	MaxImageBytes int64
	// MaxVideos caps the clips of one turn (default 2); MaxVideoBytes the
	// size of one downloaded clip (default 20 MiB).
	MaxVideos     int
	MaxVideoBytes int64
	// MaxPixels is the model's pixel budget: an image attachment larger
	// than this is fetched through Discord's media proxy at the smallest
	// size covering it (see proxySized). 0 always fetches the original.
	MaxPixels int
	// PhotoPrompt is the prompt of a message with images and no text; empty
	// leaves the text empty for the engine's own default prompt.
	PhotoPrompt string
	// Language of the adapter's own notices: "en" (default) or "zh".
	Language string
	// Clock tells time (default bots.SystemClock).
	Clock bots.Clock
}

// withDefaults returns c with zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.EditInterval <= 0 {
		c.EditInterval = DefaultEditInterval
	}
	if c.MaxImages <= 0 {
		c.MaxImages = DefaultMaxImages
	}
	if c.MaxImageBytes <= 0 {
		c.MaxImageBytes = DefaultMaxImageBytes
	}
	if c.MaxVideos <= 0 {
		c.MaxVideos = 2
	}
	if c.MaxVideoBytes <= 0 {
		c.MaxVideoBytes = 20 << 20
	}
	if c.Clock == nil {
		c.Clock = bots.SystemClock{}
	}
	return c
}

// publicKey decodes c.PublicKey; it is required when the HTTP interactions
// endpoint is enabled.
func (c Config) publicKey() (ed25519.PublicKey, error) {
	if c.PublicKey == "" {
		if c.InteractionsListen != "" {
			return nil, errors.New("public key: required for the interactions endpoint")
		}
		return nil, nil
	}
	k, err := hex.DecodeString(c.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	if len(k) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key: %d bytes, want %d", len(k), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(k), nil
}
