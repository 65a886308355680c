package main

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/bots/video"
)

// Config is the whole of config.toml. DefaultConfig returns the values the
// shipped config.toml spells out; the file and then the environment override
// them. Secrets are never read from the file: they come from the
// environment only (see secretsFromEnv).
type Config struct {
	LLM      LLMConfig      `toml:"llm"`
	Redis    RedisConfig    `toml:"redis"`
	Chat     ChatConfig     `toml:"chat"`
	Telegram TelegramConfig `toml:"telegram"`
	Discord  DiscordConfig  `toml:"discord"`
	Video    VideoConfig    `toml:"video"`
	HTTP     HTTPConfig     `toml:"http"`
	Log      LogConfig      `toml:"log"`

	// Secrets, from the environment only.
	DashScopeAPIKey  string `toml:"-"`
	TelegramToken    string `toml:"-"`
	TelegramSecret   string `toml:"-"`
	DiscordToken     string `toml:"-"`
	DiscordPublicKey string `toml:"-"`
}

// LLMConfig selects and tunes the Qwen3-VL backend.
type LLMConfig struct {
	Protocol              string        `toml:"protocol"`
	BaseURL               string        `toml:"base_url"`
	Model                 string        `toml:"model"`
	TextModel             string        `toml:"text_model"`
	ThinkingParam         string        `toml:"thinking_param"`
	ThinkingBudget        int           `toml:"thinking_budget"`
	MaxTokens             int           `toml:"max_tokens"`
	Temperature           *float64      `toml:"temperature"`
	TopP                  *float64      `toml:"top_p"`
	HighResolution        bool          `toml:"high_resolution"`
	MaxPixels             int           `toml:"max_pixels"`
	ResponseHeaderTimeout time.Duration `toml:"response_header_timeout"`
	IdleTimeout           time.Duration `toml:"idle_timeout"`
	MaxRetries            int           `toml:"max_retries"`
}

// RedisConfig says where history lives. An empty URL selects the embedded
// in-process store, which forgets everything on restart.
type RedisConfig struct {
	URL       string        `toml:"url"`
	Prefix    string        `toml:"prefix"`
	TTL       time.Duration `toml:"ttl"`
	MaxTurns  int           `toml:"max_turns"`
	MaxTokens int           `toml:"max_tokens"`
}

// ChatConfig holds the platform-neutral conversation settings.
type ChatConfig struct {
	SystemPrompt    string        `toml:"system_prompt"`
	Language        string        `toml:"language"`
	PhotoPrompt     string        `toml:"photo_prompt"`
	Thinking        bool          `toml:"thinking"`
	HistoryImages   int           `toml:"history_images"`
	HistoryTokens   int           `toml:"history_tokens"`
	MaxImages       int           `toml:"max_images"`
	MaxImageBytes   int64         `toml:"max_image_bytes"`
	DecodeMemory    int64         `toml:"decode_memory"`
	MaxPromptChars  int           `toml:"max_prompt_chars"`
	QueueSize       int           `toml:"queue_size"`
	MaxConcurrent   int           `toml:"max_concurrent"`
	TurnsPerChat    int           `toml:"max_turns_per_chat"`
	PlaceholderWait time.Duration `toml:"placeholder_delay"`
	TurnTimeout     time.Duration `toml:"turn_timeout"`
	UserTurnsPerMin int           `toml:"user_turns_per_minute"`
	DailyUserTokens int64         `toml:"daily_user_tokens"`
	DailyChatTokens int64         `toml:"daily_chat_tokens"`
	DrainTimeout    time.Duration `toml:"drain_timeout"`
	MaxAnswerChars  int           `toml:"max_answer_chars"`
	LockTTL         time.Duration `toml:"lock_ttl"`
	JournalLease    time.Duration `toml:"journal_lease"`
}

// TelegramConfig configures the Telegram adapter. It runs when
// TELEGRAM_BOT_TOKEN is set.
type TelegramConfig struct {
	APIURL         string        `toml:"api_url"`
	Mode           string        `toml:"mode"`
	WebhookListen  string        `toml:"webhook_listen"`
	WebhookURL     string        `toml:"webhook_url"`
	AllowedUsers   []int64       `toml:"allowed_users"`
	AllowedChats   []int64       `toml:"allowed_chats"`
	Admins         []int64       `toml:"admins"`
	PrivateEdit    time.Duration `toml:"private_edit_interval"`
	GroupEdit      time.Duration `toml:"group_edit_interval"`
	GroupPerMinute int           `toml:"group_edits_per_minute"`
	GlobalPerSec   int           `toml:"global_requests_per_second"`
	AlbumWait      time.Duration `toml:"album_wait"`
	Drafts         bool          `toml:"drafts"`
	RichMessages   string        `toml:"rich_messages"`
	RequestTimeout time.Duration `toml:"request_timeout"`
}

// DiscordConfig configures the Discord adapter. It runs when
// DISCORD_BOT_TOKEN is set.
type DiscordConfig struct {
	APIURL             string        `toml:"api_url"`
	ApplicationID      string        `toml:"application_id"`
	DevGuildID         string        `toml:"dev_guild_id"`
	InteractionsListen string        `toml:"interactions_listen"`
	Gateway            bool          `toml:"gateway"`
	MessageContent     bool          `toml:"message_content"`
	DMs                bool          `toml:"dms"`
	AllowedGuilds      []string      `toml:"allowed_guilds"`
	AllowedChannels    []string      `toml:"allowed_channels"`
	AllowedUsers       []string      `toml:"allowed_users"`
	AllowedRoles       []string      `toml:"allowed_roles"`
	Admins             []string      `toml:"admins"`
	EditInterval       time.Duration `toml:"edit_interval"`
	ShardID            int           `toml:"shard_id"`
	ShardCount         int           `toml:"shard_count"`
}

// VideoConfig turns videos, video notes, animations and GIFs into frames
// for the model, with ffmpeg.
type VideoConfig struct {
	Enabled       bool          `toml:"enabled"`
	FFmpeg        string        `toml:"ffmpeg"`
	MaxDuration   time.Duration `toml:"max_duration"`
	MaxBytes      int64         `toml:"max_bytes"`
	MaxFrames     int           `toml:"max_frames"`
	MaxPerMessage int           `toml:"max_per_message"`
	FramePixels   int           `toml:"frame_pixels"`
	Timeout       time.Duration `toml:"timeout"`
	Parallel      int           `toml:"parallel"`
}

// HTTPConfig is the operator endpoint (/healthz, /readyz, /metrics).
type HTTPConfig struct {
	Listen string `toml:"listen"`
}

// LogConfig sets the log level and format.
type LogConfig struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// DefaultConfig returns the configuration used when config.toml says
// nothing; config.toml in the repository spells out the same values.
func DefaultConfig() Config {
	return Config{
		LLM: LLMConfig{
			Protocol:              "dashscope",
			BaseURL:               "https://dashscope.aliyuncs.com",
			Model:                 "qwen3-vl-plus",
			ThinkingParam:         "enable_thinking",
			ResponseHeaderTimeout: 30 * time.Second,
			IdleTimeout:           60 * time.Second,
			MaxRetries:            3,
		},
		Redis: RedisConfig{
			Prefix:    "qwenbot:",
			TTL:       7 * 24 * time.Hour,
			MaxTurns:  50,
			MaxTokens: 32000,
		},
		Chat: ChatConfig{
			SystemPrompt:    "You are a patient tutor. Solve the problem step by step, explain each step briefly, and state the final answer clearly. Use Markdown; write math in LaTeX. Answer in the language the user writes in.",
			Language:        "en",
			HistoryImages:   3,
			HistoryTokens:   6000,
			MaxImages:       6,
			MaxImageBytes:   20 << 20,
			DecodeMemory:    imaging.DefaultDecodeMemory,
			MaxPromptChars:  4000,
			QueueSize:       5,
			MaxConcurrent:   64,
			TurnsPerChat:    4,
			PlaceholderWait: 1500 * time.Millisecond,
			TurnTimeout:     10 * time.Minute,
			UserTurnsPerMin: 10,
			DrainTimeout:    30 * time.Second,
			MaxAnswerChars:  16000,
			LockTTL:         30 * time.Second,
			JournalLease:    45 * time.Second,
		},
		Telegram: TelegramConfig{
			APIURL:         "https://api.telegram.org",
			Mode:           "polling",
			WebhookListen:  ":8443",
			PrivateEdit:    time.Second,
			GroupEdit:      3 * time.Second,
			GroupPerMinute: 18,
			GlobalPerSec:   25,
			AlbumWait:      time.Second,
			Drafts:         true,
			RichMessages:   "auto",
			RequestTimeout: 75 * time.Second,
			AllowedUsers:   []int64{},
			AllowedChats:   []int64{},
			Admins:         []int64{},
		},
		Discord: DiscordConfig{
			APIURL:          "https://discord.com/api/v10",
			Gateway:         true,
			MessageContent:  true,
			DMs:             true,
			EditInterval:    time.Second,
			ShardCount:      1,
			AllowedGuilds:   []string{},
			AllowedChannels: []string{},
			AllowedUsers:    []string{},
			AllowedRoles:    []string{},
			Admins:          []string{},
		},
		Video: VideoConfig{
			Enabled:       true,
			FFmpeg:        "ffmpeg",
			MaxDuration:   video.DefaultMaxDuration,
			MaxBytes:      video.DefaultMaxBytes,
			MaxFrames:     video.DefaultMaxFrames,
			MaxPerMessage: 2,
			Timeout:       video.DefaultTimeout,
			Parallel:      video.DefaultParallel,
		},
		HTTP: HTTPConfig{Listen: "127.0.0.1:8080"},
		Log:  LogConfig{Level: "info", Format: "text"},
	}
}

// secretsFromEnv reads the secrets, and REDIS_URL, from the environment.
func secretsFromEnv(cfg *Config, getenv func(string) string) {
	cfg.DashScopeAPIKey = getenv("DASHSCOPE_API_KEY")
	cfg.TelegramToken = getenv("TELEGRAM_BOT_TOKEN")
	cfg.TelegramSecret = getenv("TELEGRAM_WEBHOOK_SECRET")
	cfg.DiscordToken = getenv("DISCORD_BOT_TOKEN")
	cfg.DiscordPublicKey = getenv("DISCORD_PUBLIC_KEY")
	if u := getenv("REDIS_URL"); u != "" {
		cfg.Redis.URL = u
	}
}

// Validate reports every problem in cfg at once. needLLM is false for
// commands that never call the model.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	switch c.LLM.Protocol {
	case "dashscope", "openai":
	default:
		bad("llm.protocol: %q is not one of dashscope, openai", c.LLM.Protocol)
	}
	if !strings.HasPrefix(c.LLM.BaseURL, "http://") && !strings.HasPrefix(c.LLM.BaseURL, "https://") {
		bad("llm.base_url: %q must start with http:// or https://", c.LLM.BaseURL)
	}
	if c.LLM.Model == "" {
		bad("llm.model: must not be empty")
	}
	switch c.LLM.ThinkingParam {
	case "enable_thinking", "chat_template_kwargs", "none":
	default:
		bad("llm.thinking_param: %q is not one of enable_thinking, chat_template_kwargs, none", c.LLM.ThinkingParam)
	}
	checkAll(&errs, isNonNegative, "must not be negative", map[string]int{
		"llm.thinking_budget": c.LLM.ThinkingBudget, "llm.max_tokens": c.LLM.MaxTokens,
		"llm.max_pixels": c.LLM.MaxPixels, "llm.max_retries": c.LLM.MaxRetries,
		"chat.history_images": c.Chat.HistoryImages, "chat.user_turns_per_minute": c.Chat.UserTurnsPerMin,
		"chat.history_tokens": c.Chat.HistoryTokens,
		"discord.shard_id":    c.Discord.ShardID,
	})
	checkAll(&errs, isPositive, "must be positive", map[string]int{
		"redis.max_turns": c.Redis.MaxTurns, "redis.max_tokens": c.Redis.MaxTokens,
		"chat.max_images": c.Chat.MaxImages, "chat.max_prompt_chars": c.Chat.MaxPromptChars,
		"chat.queue_size": c.Chat.QueueSize, "chat.max_concurrent": c.Chat.MaxConcurrent,
		"chat.max_turns_per_chat":             c.Chat.TurnsPerChat,
		"chat.max_answer_chars":               c.Chat.MaxAnswerChars,
		"telegram.group_edits_per_minute":     c.Telegram.GroupPerMinute,
		"telegram.global_requests_per_second": c.Telegram.GlobalPerSec,
		"discord.shard_count":                 c.Discord.ShardCount,
	})
	checkAll(&errs, isPositive, "must be positive", map[string]int64{
		"chat.max_image_bytes": c.Chat.MaxImageBytes, "chat.decode_memory": c.Chat.DecodeMemory,
	})
	checkAll(&errs, isNonNegative, "must not be negative", map[string]int64{
		"chat.daily_user_tokens": c.Chat.DailyUserTokens, "chat.daily_chat_tokens": c.Chat.DailyChatTokens,
	})
	errs = append(errs, c.Video.validate()...)
	if c.Discord.ShardID >= c.Discord.ShardCount && c.Discord.ShardCount > 0 {
		bad("discord.shard_id: %d must be below shard_count %d", c.Discord.ShardID, c.Discord.ShardCount)
	}
	switch c.Chat.Language {
	case "en", "zh":
	default:
		bad("chat.language: %q is not one of en, zh", c.Chat.Language)
	}
	switch c.Telegram.Mode {
	case "polling":
	case "webhook":
		if c.TelegramToken != "" && c.Telegram.WebhookURL == "" {
			bad("telegram.webhook_url: required in webhook mode")
		}
		if c.TelegramToken != "" && c.TelegramSecret == "" {
			bad("TELEGRAM_WEBHOOK_SECRET: required in webhook mode")
		}
	default:
		bad("telegram.mode: %q is not one of polling, webhook", c.Telegram.Mode)
	}
	switch c.Telegram.RichMessages {
	case "auto", "on", "off":
	default:
		bad("telegram.rich_messages: %q is not one of auto, on, off", c.Telegram.RichMessages)
	}
	if c.Discord.InteractionsListen != "" && c.DiscordToken != "" && c.DiscordPublicKey == "" {
		bad("DISCORD_PUBLIC_KEY: required when discord.interactions_listen is set")
	}
	checkAll(&errs, isNonNegative, "must not be negative", map[string]time.Duration{
		"chat.placeholder_delay": c.Chat.PlaceholderWait,
	})
	checkAll(&errs, isPositive, "must be a positive duration", map[string]time.Duration{
		"llm.response_header_timeout": c.LLM.ResponseHeaderTimeout, "llm.idle_timeout": c.LLM.IdleTimeout,
		"redis.ttl": c.Redis.TTL, "chat.turn_timeout": c.Chat.TurnTimeout, "chat.drain_timeout": c.Chat.DrainTimeout,
		"chat.lock_ttl": c.Chat.LockTTL, "chat.journal_lease": c.Chat.JournalLease,
		"telegram.private_edit_interval": c.Telegram.PrivateEdit, "telegram.group_edit_interval": c.Telegram.GroupEdit,
		"telegram.album_wait": c.Telegram.AlbumWait, "telegram.request_timeout": c.Telegram.RequestTimeout,
		"discord.edit_interval": c.Discord.EditInterval,
	})
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level: %q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		bad("log.format: %q is not one of text, json", c.Log.Format)
	}
	return errors.Join(errs...)
}

// checkAll appends "name: msg" to errs for every field that fails ok, in
// name order so messages are stable.
func checkAll[T int | int64 | time.Duration](errs *[]error, ok func(T) bool, msg string, fields map[string]T) {
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if !ok(fields[name]) {
			*errs = append(*errs, fmt.Errorf("%s: %s", name, msg))
		}
	}
}

func isPositive[T int | int64 | time.Duration](v T) bool    { return v > 0 }
func isNonNegative[T int | int64 | time.Duration](v T) bool { return v >= 0 }
