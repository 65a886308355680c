package discord

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"

	"github.com/bwmarrin/discordgo"
)

// tokenPattern matches a bot token, with or without its "Bot " prefix.
var tokenPattern = regexp.MustCompile(`Bot\s+\S+|[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}`)

// redact hides bot tokens in s.
func redact(s string) string {
	return tokenPattern.ReplaceAllString(s, "<redacted>")
}

// LogSDK sends discordgo's own log lines to log (errors and warnings at
// Warn, the rest at Debug) with bot tokens scrubbed. discordgo's logger is
// process-wide, so main calls LogSDK once, before any Bot runs.
func LogSDK(log *slog.Logger) {
	discordgo.Logger = sdkLogger(log.With("component", "discordgo"))
}

// sdkLogger adapts log to discordgo's logger signature.
func sdkLogger(log *slog.Logger) func(msgL, caller int, format string, a ...any) {
	return func(msgL, _ int, format string, a ...any) {
		level := slog.LevelDebug
		if msgL <= discordgo.LogWarning {
			level = slog.LevelWarn
		}
		ctx := context.Background()
		if !log.Enabled(ctx, level) {
			return
		}
		log.Log(ctx, level, redact(fmt.Sprintf(format, a...)))
	}
}
