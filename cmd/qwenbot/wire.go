package main

import (
	"cmp"
	"log/slog"
	"net/http"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/discord"
	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/bots/telegram"
	"github.com/qwenbot/qwenbot/llm"
)

// newLLMClient builds the model client from config.
func newLLMClient(cfg Config, hc *http.Client, log *slog.Logger) (*llm.Client, error) {
	if cfg.LLM.Protocol == "dashscope" && cfg.DashScopeAPIKey == "" {
		return nil, usageError{errNoAPIKey}
	}
	c, err := llm.New(llmConfig(cfg), hc, log.With("component", "llm"))
	if err != nil {
		return nil, usageError{err}
	}
	return c, nil
}

// llmConfig maps config.toml onto the model client's Config.
func llmConfig(cfg Config) llm.Config {
	return llm.Config{
		Protocol:              llm.Protocol(cfg.LLM.Protocol),
		BaseURL:               cfg.LLM.BaseURL,
		APIKey:                cfg.DashScopeAPIKey,
		Model:                 cfg.LLM.Model,
		TextModel:             cfg.LLM.TextModel,
		ThinkingParam:         cfg.LLM.ThinkingParam,
		ResponseHeaderTimeout: cfg.LLM.ResponseHeaderTimeout,
		IdleTimeout:           cfg.LLM.IdleTimeout,
		MaxRetries:            orNone(cfg.LLM.MaxRetries),
	}
}

// llmRequest returns a request carrying the configured generation
// parameters.
func llmRequest(cfg Config) llm.Request {
	return llm.Request{
		System:         cfg.Chat.SystemPrompt,
		ThinkingBudget: cfg.LLM.ThinkingBudget,
		MaxTokens:      cfg.LLM.MaxTokens,
		Temperature:    cfg.LLM.Temperature,
		TopP:           cfg.LLM.TopP,
		HighResolution: cfg.LLM.HighResolution,
		MaxPixels:      cfg.LLM.MaxPixels,
	}
}

// imageOptions sizes images for the model: the configured pixel budget, or
// the model's own default.
func imageOptions(cfg Config, info llm.ModelInfo) imaging.Options {
	px := info.PixelBudget(cfg.LLM.MaxPixels, cfg.LLM.HighResolution)
	return imaging.Options{MaxPixels: px, MaxInputBytes: cfg.Chat.MaxImageBytes, PatchSize: info.PatchSize}
}

// engineConfig maps config.toml onto the engine's Config.
func engineConfig(cfg Config, obs bots.Observer) bots.Config {
	return bots.Config{
		SystemPrompt:    cfg.Chat.SystemPrompt,
		PhotoPrompt:     cfg.Chat.PhotoPrompt,
		Language:        cfg.Chat.Language,
		Thinking:        cfg.Chat.Thinking,
		HistoryTurns:    cfg.Redis.MaxTurns,
		HistoryImages:   orNone(cfg.Chat.HistoryImages),
		HistoryTokens:   orNone(cfg.Chat.HistoryTokens),
		MaxImages:       cfg.Chat.MaxImages,
		MaxImageBytes:   cfg.Chat.MaxImageBytes,
		MaxPromptChars:  cfg.Chat.MaxPromptChars,
		QueueSize:       cfg.Chat.QueueSize,
		MaxConcurrent:   cfg.Chat.MaxConcurrent,
		MaxTurnsPerChat: cfg.Chat.TurnsPerChat,
		MaxAnswerChars:  cfg.Chat.MaxAnswerChars,
		LockTTL:         cfg.Chat.LockTTL,
		// The engine reads 0 as its default; "0s" here means at once.
		PlaceholderDelay: cmp.Or(cfg.Chat.PlaceholderWait, -1),
		TurnTimeout:      cfg.Chat.TurnTimeout,
		UserTurnsPerMin:  cfg.Chat.UserTurnsPerMin,
		DailyUserTokens:  cfg.Chat.DailyUserTokens,
		DailyChatTokens:  cfg.Chat.DailyChatTokens,
		ThinkingBudget:   cfg.LLM.ThinkingBudget,
		MaxTokens:        cfg.LLM.MaxTokens,
		Temperature:      cfg.LLM.Temperature,
		TopP:             cfg.LLM.TopP,
		HighResolution:   cfg.LLM.HighResolution,
		MaxPixels:        cfg.LLM.MaxPixels,
		GlobalPerSecond:  map[string]int{"tg": cfg.Telegram.GlobalPerSec, "dc": 40}, // Discord allows 50 requests/s per bot
		Images:           imaging.NewLimiter(cfg.Chat.DecodeMemory, 0),
		VideoFramePixels: cfg.Video.FramePixels,
		Observer:         obs,
	}
}

// orNone maps a configured 0 ("none") to -1, which the engine and the llm
// client read as "none" (they read 0 as "default").
func orNone(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// telegramConfig maps config.toml onto the Telegram adapter's Config.
func telegramConfig(cfg Config) telegram.Config {
	t := cfg.Telegram
	return telegram.Config{
		APIURL:         t.APIURL,
		Mode:           t.Mode,
		WebhookListen:  t.WebhookListen,
		WebhookURL:     t.WebhookURL,
		WebhookSecret:  cfg.TelegramSecret,
		AllowedUsers:   t.AllowedUsers,
		AllowedChats:   t.AllowedChats,
		Admins:         t.Admins,
		PrivateEdit:    t.PrivateEdit,
		GroupEdit:      t.GroupEdit,
		GroupPerMinute: t.GroupPerMinute,
		AlbumWait:      t.AlbumWait,
		Drafts:         t.Drafts,
		RichMessages:   t.RichMessages,
		RequestTimeout: t.RequestTimeout,
		PhotoPrompt:    cfg.Chat.PhotoPrompt,
		Language:       cfg.Chat.Language,
		MaxImages:      cfg.Chat.MaxImages,
		MaxImageBytes:  cfg.Chat.MaxImageBytes,
		// Declared sizes and durations are checked before downloading.
		MaxVideos:        cfg.Video.MaxPerMessage,
		MaxVideoBytes:    cfg.Video.MaxBytes,
		MaxVideoDuration: cfg.Video.MaxDuration,
	}
}

// discordConfig maps config.toml onto the Discord adapter's Config.
func discordConfig(cfg Config) discord.Config {
	d := cfg.Discord
	return discord.Config{
		APIURL:        d.APIURL,
		ApplicationID: d.ApplicationID,
		DevGuildID:    d.DevGuildID,
		// InteractionsListen stays empty: serve binds and serves the
		// endpoint itself (see listen), so it can stop intake first.
		PublicKey:       cfg.DiscordPublicKey,
		Gateway:         d.Gateway,
		MessageContent:  d.MessageContent,
		DMs:             d.DMs,
		AllowedGuilds:   d.AllowedGuilds,
		AllowedChannels: d.AllowedChannels,
		AllowedUsers:    d.AllowedUsers,
		AllowedRoles:    d.AllowedRoles,
		Admins:          d.Admins,
		EditInterval:    d.EditInterval,
		ShardID:         d.ShardID,
		ShardCount:      d.ShardCount,
		MaxImages:       cfg.Chat.MaxImages,
		MaxImageBytes:   cfg.Chat.MaxImageBytes,
		MaxVideos:       cfg.Video.MaxPerMessage,
		MaxVideoBytes:   cfg.Video.MaxBytes,
		PhotoPrompt:     cfg.Chat.PhotoPrompt,
		Language:        cfg.Chat.Language,
	}
}
