package telegram

import (
	"cmp"
	"time"

	"github.com/qwenbot/qwenbot/bots"
)

// Modes of receiving updates.
const (
	ModePolling = "polling"
	ModeWebhook = "webhook"
)

// Default values used for zero fields of Config.
const (
	DefaultAPIURL         = "https://api.telegram.org"
	DefaultPrivateEdit    = time.Second
	DefaultGroupEdit      = 3 * time.Second
	DefaultGroupPerMinute = 18
	DefaultAlbumWait      = time.Second
	DefaultRequestTimeout = 75 * time.Second
	// The image limits are the engine's, so the adapter never downloads an
	// image the engine would refuse.
	DefaultMaxImages     = bots.DefaultMaxImages
	DefaultMaxImageBytes = bots.DefaultMaxImageBytes
)

// Config tunes a Bot. Zero fields take the defaults above.
type Config struct {
	// APIURL is the Bot API base URL, without the /bot<token> part: a
	// self-hosted telegram-bot-api server or a reverse proxy.
	APIURL string
	// Mode is ModePolling (the default) or ModeWebhook.
	Mode string
	// WebhookListen is the address the webhook server listens on.
	WebhookListen string
	// WebhookURL is the public URL Telegram posts updates to; its path is
	// the path the webhook server serves.
	WebhookURL string
	// WebhookSecret is sent by Telegram in X-Telegram-Bot-Api-Secret-Token.
	WebhookSecret string
	// AllowedUsers and AllowedChats restrict who may use the bot; an empty
	// list does not restrict. A message must pass both lists. Admins always
	// pass.
	AllowedUsers []int64
	AllowedChats []int64
	// Admins may run admin commands (/system).
	Admins []int64
	// PrivateEdit and GroupEdit are the minimum intervals between edits of
	// a reply in private chats and in groups.
	PrivateEdit time.Duration
	GroupEdit   time.Duration
	// GroupPerMinute caps the edits per rolling minute in a group.
	GroupPerMinute int
	// AlbumWait is the quiet period after the last photo of an album before
	// the album becomes one turn.
	AlbumWait time.Duration
	// Drafts streams private replies with sendMessageDraft.
	Drafts bool
	// RichMessages is RichAuto, RichOn or RichOff (the zero value): whether
	// replies are Bot API 10.1 rich messages (see rich.go).
	RichMessages string
	// RequestTimeout bounds every Bot API request; long polls wait for
	// updates for four fifths of it.
	RequestTimeout time.Duration
	// PhotoPrompt is the question asked about images sent without text.
	// Empty leaves the text empty, for the engine's own (localized) photo
	// prompt.
	PhotoPrompt string
	// Language of the adapter's own notices: "en" (default) or "zh".
	Language string
	// MaxImages and MaxImageBytes limit the images of one turn.
	MaxImages     int
	MaxImageBytes int64
	// MaxVideos, MaxVideoBytes and MaxVideoDuration limit the clips of
	// one turn (count, and each clip's declared or downloaded size and
	// declared duration); defaults 2, 20 MB (the Bot API's download
	// limit) and 2 minutes.
	MaxVideos        int
	MaxVideoBytes    int64
	MaxVideoDuration time.Duration
	// MaxPixels is the model's pixel budget: of a photo's sizes, the
	// smallest with at least this many pixels is downloaded (the largest
	// when none has). 0 always downloads the largest.
	MaxPixels int
	// Clock times albums and backoff. Default bots.SystemClock.
	Clock bots.Clock
}

func (c Config) withDefaults() Config {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if c.Mode == "" {
		c.Mode = ModePolling
	}
	c.PrivateEdit = orDuration(c.PrivateEdit, DefaultPrivateEdit)
	c.GroupEdit = orDuration(c.GroupEdit, DefaultGroupEdit)
	c.AlbumWait = orDuration(c.AlbumWait, DefaultAlbumWait)
	c.RequestTimeout = orDuration(c.RequestTimeout, DefaultRequestTimeout)
	if c.GroupPerMinute <= 0 {
		c.GroupPerMinute = DefaultGroupPerMinute
	}
	if c.MaxImages <= 0 {
		c.MaxImages = DefaultMaxImages
	}
	if c.MaxImageBytes <= 0 {
		c.MaxImageBytes = DefaultMaxImageBytes
	}
	c.MaxVideos = cmp.Or(max(c.MaxVideos, 0), 2)
	c.MaxVideoBytes = cmp.Or(max(c.MaxVideoBytes, 0), 20<<20)
	c.MaxVideoDuration = orDuration(c.MaxVideoDuration, 2*time.Minute)
	if c.Clock == nil {
		c.Clock = bots.SystemClock{}
	}
	return c
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// pollTimeout is how long one getUpdates call waits for updates.
func (c Config) pollTimeout() time.Duration {
	t := (c.RequestTimeout * 4 / 5).Truncate(time.Second)
	if t < time.Second {
		return time.Second
	}
	return t
}
