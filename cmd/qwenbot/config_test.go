package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestShippedConfigIsTheDefaults(t *testing.T) {
	cfg, err := LoadConfig("../../config.toml", envMap(nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := DefaultConfig(); !reflect.DeepEqual(cfg, want) {
		t.Errorf("config.toml differs from DefaultConfig():\n got %+v\nwant %+v", cfg, want)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestShippedConfigNamesEveryKey(t *testing.T) {
	var raw map[string]any
	md, err := toml.DecodeFile("../../config.toml", &raw)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	walkKeys(reflect.ValueOf(&cfg).Elem(), "", func(key string, v reflect.Value) {
		if v.Kind() == reflect.Pointer {
			return // optional keys, shown commented out
		}
		if !md.IsDefined(strings.Split(key, ".")...) {
			t.Errorf("config.toml does not document key %s", key)
		}
	})
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		env     map[string]string
		check   func(t *testing.T, c Config)
		wantErr string
	}{
		{
			name: "file overrides defaults",
			file: "[llm]\nmodel = \"qwen3-vl-flash\"\n[chat]\nturn_timeout = \"2m\"\n",
			check: func(t *testing.T, c Config) {
				if c.LLM.Model != "qwen3-vl-flash" || c.Chat.TurnTimeout != 2*time.Minute {
					t.Errorf("got model %q timeout %v", c.LLM.Model, c.Chat.TurnTimeout)
				}
				if c.LLM.Protocol != "dashscope" {
					t.Errorf("unset key lost its default: %q", c.LLM.Protocol)
				}
			},
		},
		{
			name: "env overrides file",
			file: "[llm]\nmodel = \"qwen3-vl-flash\"\n",
			env: map[string]string{
				"QWENBOT_LLM_MODEL":            "qvq-max",
				"QWENBOT_TELEGRAM_ADMINS":      "1, 2",
				"QWENBOT_LLM_TEMPERATURE":      "0.3",
				"QWENBOT_CHAT_THINKING":        "true",
				"QWENBOT_REDIS_TTL":            "1h",
				"QWENBOT_DISCORD_ADMINS":       "a,b",
				"DASHSCOPE_API_KEY":            "sk-test",
				"REDIS_URL":                    "redis://127.0.0.1:6379/3",
				"QWENBOT_CHAT_MAX_IMAGE_BYTES": "1024",
			},
			check: func(t *testing.T, c Config) {
				if c.LLM.Model != "qvq-max" || c.LLM.Temperature == nil || *c.LLM.Temperature != 0.3 {
					t.Errorf("llm: %+v", c.LLM)
				}
				if !reflect.DeepEqual(c.Telegram.Admins, []int64{1, 2}) || !reflect.DeepEqual(c.Discord.Admins, []string{"a", "b"}) {
					t.Errorf("admins: %v %v", c.Telegram.Admins, c.Discord.Admins)
				}
				if !c.Chat.Thinking || c.Redis.TTL != time.Hour || c.Chat.MaxImageBytes != 1024 {
					t.Errorf("chat/redis: %+v %+v", c.Chat, c.Redis)
				}
				if c.DashScopeAPIKey != "sk-test" || c.Redis.URL != "redis://127.0.0.1:6379/3" {
					t.Errorf("secrets: key %q url %q", c.DashScopeAPIKey, c.Redis.URL)
				}
			},
		},
		{name: "unknown key", file: "[llm]\nmodle = \"x\"\n", wantErr: "unknown keys: llm.modle"},
		{name: "bad toml", file: "[llm\n", wantErr: "parse config"},
		{
			name:    "bad env values all reported",
			env:     map[string]string{"QWENBOT_CHAT_QUEUE_SIZE": "many", "QWENBOT_REDIS_TTL": "forever"},
			wantErr: "QWENBOT_CHAT_QUEUE_SIZE",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.file != "" {
				path = writeConfig(t, tt.file)
			}
			c, err := LoadConfig(path, envMap(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadConfigReportsEveryBadEnvValue(t *testing.T) {
	_, err := LoadConfig("", envMap(map[string]string{"QWENBOT_CHAT_QUEUE_SIZE": "many", "QWENBOT_REDIS_TTL": "forever"}))
	for _, want := range []string{"QWENBOT_CHAT_QUEUE_SIZE", "QWENBOT_REDIS_TTL"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to mention %s", err, want)
		}
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := DefaultConfig()
	c.LLM.Protocol = "grpc"
	c.LLM.BaseURL = "dashscope.aliyuncs.com"
	c.Chat.QueueSize = 0
	c.Chat.Language = "fr"
	c.Telegram.Mode = "webhook"
	c.TelegramToken = "123:abc"
	c.Redis.TTL = 0
	c.Log.Format = "xml"
	err := c.Validate()
	if err == nil {
		t.Fatal("Validate() = nil")
	}
	for _, want := range []string{
		"llm.protocol", "llm.base_url", "chat.queue_size", "chat.language",
		"telegram.webhook_url", "TELEGRAM_WEBHOOK_SECRET", "redis.ttl", "log.format",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() does not mention %s:\n%v", want, err)
		}
	}
}
