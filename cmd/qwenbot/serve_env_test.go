package main

import (
	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

// serveEnv is the environment of a test "serve": the fake model, the test
// Redis under prefix, every listener on a loopback port of its own, JSON
// logs at Info.
func serveEnv(modelURL, redisURL, prefix string) map[string]string {
	return map[string]string{
		"DASHSCOPE_API_KEY":          "sk-test",
		"QWENBOT_LLM_BASE_URL":       modelURL,
		"QWENBOT_LLM_MAX_RETRIES":    "0",
		"REDIS_URL":                  redisURL,
		"QWENBOT_REDIS_PREFIX":       prefix,
		"QWENBOT_HTTP_LISTEN":        "127.0.0.1:0",
		"QWENBOT_LOG_FORMAT":         "json",
		"QWENBOT_LOG_LEVEL":          "info",
		"QWENBOT_CHAT_DRAIN_TIMEOUT": "5s",
		// No placeholder, however slow the machine: the first thing on
		// screen is the model's text.
		"QWENBOT_CHAT_PLACEHOLDER_DELAY": "1h",
	}
}

// telegramEnv enables Telegram against the fake Bot API, polling, with
// fast pacing, replying in HTML (serve_rich_test.go covers rich replies).
func telegramEnv(tg *tgtest.Server) map[string]string {
	return map[string]string{
		"TELEGRAM_BOT_TOKEN":                     tg.Token,
		"QWENBOT_TELEGRAM_API_URL":               tg.URL,
		"QWENBOT_TELEGRAM_PRIVATE_EDIT_INTERVAL": "10ms",
		"QWENBOT_TELEGRAM_GROUP_EDIT_INTERVAL":   "10ms",
		"QWENBOT_TELEGRAM_REQUEST_TIMEOUT":       "5s",
		"QWENBOT_TELEGRAM_ALBUM_WAIT":            "50ms",
		"QWENBOT_TELEGRAM_RICH_MESSAGES":         "off",
	}
}

// webhookEnv switches Telegram to webhook mode on a loopback port. The
// webhook URL is only told to the fake Bot API.
func webhookEnv() map[string]string {
	return map[string]string{
		"QWENBOT_TELEGRAM_MODE":           "webhook",
		"QWENBOT_TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1:0",
		"QWENBOT_TELEGRAM_WEBHOOK_URL":    "https://bot.example.test" + webhookPath,
		"TELEGRAM_WEBHOOK_SECRET":         webhookSecret,
	}
}

const (
	webhookPath   = "/telegram/updates"
	webhookSecret = "test-webhook-secret"
)

// discordEnv enables Discord against the fake REST API, without a gateway,
// with the HTTP interactions endpoint on a loopback port.
func discordEnv(dc *dctest.Server) map[string]string {
	return map[string]string{
		"DISCORD_BOT_TOKEN":                   dctest.Token,
		"DISCORD_PUBLIC_KEY":                  dc.PublicKey(),
		"QWENBOT_DISCORD_API_URL":             dc.APIURL(),
		"QWENBOT_DISCORD_APPLICATION_ID":      dctest.AppID,
		"QWENBOT_DISCORD_GATEWAY":             "false",
		"QWENBOT_DISCORD_INTERACTIONS_LISTEN": "127.0.0.1:0",
		"QWENBOT_DISCORD_EDIT_INTERVAL":       "10ms",
	}
}
