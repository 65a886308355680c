package main

import (
	"testing"
)

func TestPlatformConfigWiring(t *testing.T) {
	cfg, err := LoadConfig("", envMap(map[string]string{
		"QWENBOT_DISCORD_SHARD_ID":            "2",
		"QWENBOT_DISCORD_SHARD_COUNT":         "4",
		"QWENBOT_DISCORD_INTERACTIONS_LISTEN": ":8081",
		"DISCORD_PUBLIC_KEY":                  "abcd",
		"QWENBOT_TELEGRAM_MODE":               "webhook",
		"QWENBOT_TELEGRAM_WEBHOOK_URL":        "https://bot.example.test/tg",
		"TELEGRAM_WEBHOOK_SECRET":             "s3cret",
		"QWENBOT_TELEGRAM_API_URL":            "http://tg-proxy.internal:8081",
	}))
	if err != nil {
		t.Fatal(err)
	}
	dc, tg := discordConfig(cfg), telegramConfig(cfg)
	tests := []struct {
		name      string
		got, want any
	}{
		{"discord shard id", dc.ShardID, 2},
		{"discord shard count", dc.ShardCount, 4},
		{"discord public key", dc.PublicKey, "abcd"},
		{"discord interactions served by cmd", dc.InteractionsListen, ""},
		{"discord api url", dc.APIURL, "https://discord.com/api/v10"},
		{"telegram mode", tg.Mode, "webhook"},
		{"telegram webhook url", tg.WebhookURL, "https://bot.example.test/tg"},
		{"telegram webhook secret", tg.WebhookSecret, "s3cret"},
		{"telegram api url", tg.APIURL, "http://tg-proxy.internal:8081"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestShardIDMustBeBelowShardCount(t *testing.T) {
	c := DefaultConfig()
	c.Discord.ShardID, c.Discord.ShardCount = 2, 2
	if err := c.Validate(); err == nil {
		t.Error("Validate() accepted shard_id 2 of 2 shards")
	}
}
