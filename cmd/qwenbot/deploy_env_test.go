package main

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
)

// composeEnv is the environment Compose gives a service, given the .env
// beside docker-compose.yml (and an empty shell): every env_file line,
// then the environment: entries, interpolated from .env (Compose reads it
// for ${…} as well).
func composeEnv(t *testing.T, svc composeService, dotenv map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, f := range svc.EnvFile {
		if f.Path == ".env" {
			for k, v := range dotenv {
				env[k] = v
			}
		}
	}
	expr := regexp.MustCompile(`\$\{([A-Z_][A-Z0-9_]*)(:?)([-?])([^}]*)\}`)
	for name, v := range svc.Environment {
		env[name] = expr.ReplaceAllStringFunc(v, func(m string) string {
			p := expr.FindStringSubmatch(m)
			val, set := dotenv[p[1]]
			if p[2] == ":" && val == "" || !set {
				if p[3] == "?" {
					t.Errorf("%s: ${%s} is required: %s", name, p[1], p[4])
				}
				return p[4]
			}
			return val
		})
	}
	return env
}

// environList turns a map into os.Environ's form.
func environList(env map[string]string) []string {
	var l []string
	for k, v := range env {
		l = append(l, k+"="+v)
	}
	return l
}

func TestComposePassesDotEnvToTheBot(t *testing.T) {
	bot := loadCompose(t).Services["qwenbot"]
	if len(bot.EnvFile) != 1 || bot.EnvFile[0].Path != ".env" || bot.EnvFile[0].Required == nil || *bot.EnvFile[0].Required {
		t.Fatalf("env_file = %+v, want [{path: .env, required: false}]", bot.EnvFile)
	}
	tests := []struct {
		name   string
		dotenv map[string]string
		check  func(t *testing.T, c Config)
	}{
		{
			name:   "any key from .env",
			dotenv: map[string]string{"QWENBOT_LLM_MODEL": "qwen3-vl-flash", "QWENBOT_CHAT_LANGUAGE": "zh", "TELEGRAM_BOT_TOKEN": "1:x"},
			check: func(t *testing.T, c Config) {
				if c.LLM.Model != "qwen3-vl-flash" || c.Chat.Language != "zh" || c.TelegramToken != "1:x" {
					t.Errorf("model %q language %q token set %v", c.LLM.Model, c.Chat.Language, c.TelegramToken != "")
				}
				if c.HTTP.Listen != "0.0.0.0:8080" || c.Log.Format != "json" || c.Redis.URL != "redis://redis:6379/0" {
					t.Errorf("container defaults: listen %q format %q redis %q", c.HTTP.Listen, c.Log.Format, c.Redis.URL)
				}
			},
		},
		{
			name:   ".env overrides the compose defaults",
			dotenv: map[string]string{"QWENBOT_HTTP_LISTEN": "", "QWENBOT_LOG_FORMAT": "text"},
			check: func(t *testing.T, c Config) {
				if c.HTTP.Listen != "" || c.Log.Format != "text" {
					t.Errorf("listen %q format %q", c.HTTP.Listen, c.Log.Format)
				}
			},
		},
		{
			name:   "empty key for a self-hosted server",
			dotenv: map[string]string{"DASHSCOPE_API_KEY": "", "QWENBOT_LLM_PROTOCOL": "openai", "QWENBOT_LLM_BASE_URL": "http://vllm:8000/v1"},
			check: func(t *testing.T, c Config) {
				if c.DashScopeAPIKey != "" || c.LLM.Protocol != "openai" {
					t.Errorf("key set %v protocol %q", c.DashScopeAPIKey != "", c.LLM.Protocol)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := composeEnv(t, bot, tt.dotenv)
			c, err := loadValidConfig("../../config.toml", envMap(env), environList(env))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

// dotEnvExample reads .env.example: its set lines, and the names of its
// commented-out ones.
func dotEnvExample(t *testing.T) (set map[string]string, commented []string) {
	t.Helper()
	f, err := os.Open("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set = map[string]string{}
	line := regexp.MustCompile(`^(#?)([A-Z_][A-Z0-9_]*)=(.*)$`)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		switch {
		case m == nil:
		case m[1] == "#":
			commented = append(commented, m[2])
		default:
			set[m[2]] = m[3]
		}
	}
	return set, commented
}

func TestDotEnvExample(t *testing.T) {
	set, commented := dotEnvExample(t)
	all := append([]string{}, commented...)
	for k := range set {
		all = append(all, k)
	}
	for _, v := range secretVars {
		if !strings.Contains(strings.Join(all, " "), v) {
			t.Errorf(".env.example does not show %s", v)
		}
	}
	known := configEnvNames()
	for _, name := range all {
		if strings.HasPrefix(name, envPrefix) && !known[name] {
			t.Errorf(".env.example: %s names no config key", name)
		}
	}
	// Copied as is, it is a valid configuration for compose.
	env := composeEnv(t, loadCompose(t).Services["qwenbot"], set)
	if _, err := loadValidConfig("../../config.toml", envMap(env), environList(env)); err != nil {
		t.Errorf(".env.example as .env: %v", err)
	}
}
