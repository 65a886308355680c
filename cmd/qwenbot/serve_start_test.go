package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/bots/discord/dctest"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// startEnv is a serve environment with the embedded store, no operator
// endpoint and JSON logs.
func startEnv(model *llmtest.Server, platform map[string]string) map[string]string {
	return merge(map[string]string{
		"DASHSCOPE_API_KEY":    "sk-test",
		"QWENBOT_LLM_BASE_URL": model.URL,
		"QWENBOT_HTTP_LISTEN":  "",
		"QWENBOT_LOG_FORMAT":   "json",
	}, platform)
}

// checkJSONLines fails unless every line of out is a JSON object.
func checkJSONLines(t *testing.T, out string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("not a JSON log line: %q", line)
		}
	}
}

func TestServeRejectedPlatformToken(t *testing.T) {
	tg := tgtest.NewServer(t)
	dc := dctest.New(t)
	tests := []struct {
		name     string
		platform map[string]string
		want     string
		secret   string
	}{
		{
			name:     "telegram",
			platform: merge(telegramEnv(tg), map[string]string{"TELEGRAM_BOT_TOKEN": "999:wrong-token"}),
			want:     "telegram getMe: 401 Unauthorized: check TELEGRAM_BOT_TOKEN (from @BotFather",
			secret:   "wrong-token",
		},
		{
			name:     "discord",
			platform: merge(discordEnv(dc), map[string]string{"DISCORD_BOT_TOKEN": "wrong-token"}),
			want:     "check DISCORD_BOT_TOKEN (Developer Portal",
			secret:   "wrong-token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runMain(t, startEnv(llmtest.NewServer(t), tt.platform), "serve")
			if code != exitError {
				t.Errorf("exit %d, want %d", code, exitError)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, errOut)
			}
			if strings.Contains(errOut, tt.secret) {
				t.Errorf("stderr leaks the token:\n%s", errOut)
			}
			for _, never := range []string{"qwenbot started", "shutting down", "drain"} {
				if strings.Contains(errOut, never) {
					t.Errorf("a failed start logs %q:\n%s", never, errOut)
				}
			}
			if strings.Count(errOut, tt.want) != 1 {
				t.Errorf("the error is reported %d times:\n%s", strings.Count(errOut, tt.want), errOut)
			}
			checkJSONLines(t, errOut)
		})
	}
}

func TestServeLogsStartedOnceUp(t *testing.T) {
	tg := tgtest.NewServer(t)
	srv := startServe(t, startEnv(llmtest.NewServer(t), telegramEnv(tg)))
	srv.stderr.waitFor(t, "qwenbot started")
	out := srv.stderr.String()
	for _, want := range []string{"telegram: connected as @", `"version":`, `"commit":`, "key unchecked until the first turn"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if i, j := strings.Index(out, "connected as"), strings.Index(out, "qwenbot started"); i > j {
		t.Errorf("started logged before telegram connected:\n%s", out)
	}
	if code := srv.stop(t); code != exitOK {
		t.Errorf("exit %d", code)
	}
	checkJSONLines(t, srv.stderr.String())
}

func TestServeConfigErrorStaysJSON(t *testing.T) {
	code, _, errOut := runMain(t, map[string]string{"QWENBOT_LOG_FORMAT": "json", "QWENBOT_CHAT_QUEUE_SIZE": "many"}, "serve")
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(errOut, `QWENBOT_CHAT_QUEUE_SIZE=\"many\": must be an integer`) {
		t.Errorf("stderr = %q", errOut)
	}
	checkJSONLines(t, errOut)
}
