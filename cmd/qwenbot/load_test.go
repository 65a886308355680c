package main

import (
	"strings"
	"testing"
)

func TestLoadConfigReportsEveryProblemInTheFile(t *testing.T) {
	path := writeConfig(t, "[chat]\nturn_timeout = \"soon\"\nqueue_size = \"abc\"\nthinkng = true\n[llm]\nmodle = \"x\"\n[nosuch]\na = 1\n")
	_, err := loadValidConfig(path, envMap(nil), nil)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		`chat.turn_timeout = "soon": must be a duration`,
		`chat.queue_size = "abc": must be an integer`,
		"unknown keys: chat.thinkng, llm.modle, nosuch",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "strconv") {
		t.Errorf("error leaks Go's parser messages:\n%s", msg)
	}
}

func TestLoadConfigReportsValidationWithUnknownKeys(t *testing.T) {
	path := writeConfig(t, "[log]\nformat = \"xml\"\nlevle = \"info\"\n")
	_, err := loadValidConfig(path, envMap(nil), nil)
	for _, want := range []string{"log.format", "unknown keys: log.levle"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want it to mention %q", err, want)
		}
	}
}

func TestLoadConfigSyntaxErrorHasLine(t *testing.T) {
	path := writeConfig(t, "[llm]\nmodel = \"a\"\nbroken = \n")
	_, err := loadValidConfig(path, envMap(nil), nil)
	if err == nil || !strings.Contains(err.Error(), "config.toml:3:") {
		t.Errorf("err = %v, want the line number 3", err)
	}
}

func TestEnvironOverrides(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		check   func(t *testing.T, c Config)
		wantErr []string
	}{
		{
			name:    "empty value turns an endpoint off",
			environ: []string{"QWENBOT_HTTP_LISTEN=", "PATH=/bin"},
			check: func(t *testing.T, c Config) {
				if c.HTTP.Listen != "" {
					t.Errorf("http.listen = %q, want empty", c.HTTP.Listen)
				}
			},
		},
		{
			name:    "empty list",
			environ: []string{"QWENBOT_TELEGRAM_ADMINS="},
			check: func(t *testing.T, c Config) {
				if len(c.Telegram.Admins) != 0 {
					t.Errorf("admins = %v", c.Telegram.Admins)
				}
			},
		},
		{
			name:    "unknown names and bad values together",
			environ: []string{"QWENBOT_LLM_MODLE=qwen3-vl-flash", "QWENBOT_CHAT_QUEUE_SIZE=abc", "QWENBOT_CHAT_MAX_IMAGES="},
			wantErr: []string{
				"QWENBOT_LLM_MODLE: unknown variable", "did you mean QWENBOT_LLM_MODEL?",
				`QWENBOT_CHAT_QUEUE_SIZE="abc": must be an integer`,
				`QWENBOT_CHAT_MAX_IMAGES="": must be an integer`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for _, kv := range tt.environ {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
			c, err := loadValidConfig("", envMap(env), tt.environ)
			if tt.wantErr != nil {
				for _, want := range tt.wantErr {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("err = %v, want it to mention %q", err, want)
					}
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
