package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    string // in stdout
		wantErr    string // in stderr
		emptyError bool   // nothing on stderr
	}{
		{name: "help", args: []string{"--help"}, wantOut: "qwenbot ask ", emptyError: true},
		{name: "-h", args: []string{"-h"}, wantOut: "qwenbot serve ", emptyError: true},
		{name: "help command", args: []string{"help"}, wantOut: "qwenbot health ", emptyError: true},
		{name: "ask help", args: []string{"ask", "--help"}, wantOut: "--image FILE", emptyError: true},
		{name: "serve help", args: []string{"serve", "--help"}, wantOut: "--config PATH", emptyError: true},
		{name: "health help", args: []string{"health", "-h"}, wantOut: "--url URL", emptyError: true},
		{name: "version", args: []string{"version"}, wantOut: "qwenbot ", emptyError: true},
		{name: "--version", args: []string{"--version"}, wantOut: "commit ", emptyError: true},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: exitUsage, wantErr: `unknown command "frobnicate" (commands: serve, ask, health, version, help`},
		{name: "bad flag", args: []string{"ask", "--bogus", "hi"}, wantCode: exitUsage, wantErr: "flag provided but not defined: --bogus"},
		{name: "bad flag value", args: []string{"health", "--url"}, wantCode: exitUsage, wantErr: "flag needs an argument: --url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runMain(t, nil, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errOut)
			}
			if !strings.Contains(out, tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, out)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, errOut)
			}
			if tt.emptyError && errOut != "" {
				t.Errorf("stderr = %q, want nothing", errOut)
			}
			if n := strings.Count(errOut, "not defined"); n > 1 {
				t.Errorf("the flag error is printed %d times:\n%s", n, errOut)
			}
		})
	}
}

func TestBuildInfo(t *testing.T) {
	stamped := &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	tests := []struct {
		name                  string
		bi                    *debug.BuildInfo
		version, commit, date string
		want                  build
	}{
		{"nothing known", nil, "", "", "", build{Version: "devel", Commit: "unknown", Date: "unknown"}},
		{"toolchain stamp", stamped, "", "", "", build{Version: "v1.2.3", Commit: "abc123-dirty", Date: "2026-01-02T03:04:05Z"}},
		{"linker wins", stamped, "v2.0.0", "def456", "2026-02-03T00:00:00Z", build{Version: "v2.0.0", Commit: "def456", Date: "2026-02-03T00:00:00Z"}},
		{"devel module", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", "", "", build{Version: "devel", Commit: "unknown", Date: "unknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := buildFrom(tt.bi, tt.version, tt.commit, tt.date)
			got.GoVersion = ""
			if got != tt.want {
				t.Errorf("buildFrom() = %+v, want %+v", got, tt.want)
			}
		})
	}
	if s := buildInfo().String(); !strings.HasPrefix(s, "qwenbot ") || !strings.Contains(s, "commit ") {
		t.Errorf("String() = %q", s)
	}
}

// TestREADMESpellsFlagsAsHelpDoes keeps the README's flags the ones help
// prints: every flag of every command appears as --name in both.
func TestREADMESpellsFlagsAsHelpDoes(t *testing.T) {
	text := readme(t)
	for _, cmd := range []string{"serve", "ask", "health"} {
		_, out, _ := runMain(t, nil, cmd, "--help")
		for _, f := range regexp.MustCompile(`(?m)^  (--[a-z-]+)`).FindAllStringSubmatch(out, -1) {
			if !strings.Contains(text, "`"+f[1]) && !strings.Contains(text, " "+f[1]+" ") {
				t.Errorf("README does not mention %s %s", cmd, f[1])
			}
		}
	}
	if regexp.MustCompile("qwenbot [a-z]+ [^\\n`]*[^-]-(image|think|model|config|url)\\b").MatchString(text) {
		t.Error("README spells a flag with one dash; help spells it --name")
	}
}

func TestAskPhotoWithoutPromptUsesPhotoPrompt(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"ok"}, llm.Usage{})})
	env := fakeEnv(srv)
	env["QWENBOT_CHAT_PHOTO_PROMPT"] = "Explain this picture."
	code, _, errOut := runMain(t, env, "ask", "--image", writePNG(t, 32, 32))
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if raw := string(srv.Requests()[0].Raw); !strings.Contains(raw, "Explain this picture.") {
		t.Errorf("request lacks chat.photo_prompt: %.300s", raw)
	}
}

func TestAskPhotoWithoutPromptUsesTheBuiltInPromptInChatLanguage(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"ok"}, llm.Usage{})})
	env := fakeEnv(srv)
	env["QWENBOT_CHAT_LANGUAGE"] = "zh"
	code, _, errOut := runMain(t, env, "ask", "--image", writePNG(t, 32, 32))
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if raw := string(srv.Requests()[0].Raw); !strings.Contains(raw, bots.PhotoPrompt("zh")) {
		t.Errorf("request lacks the Chinese photo prompt: %.300s", raw)
	}
}

func TestAskRoutesTextToTextModel(t *testing.T) {
	tests := []struct {
		name, want string
		args       []string
	}{
		{"text only", "qwen-text-test", []string{"ask", "hi"}},
		{"with image", "qwen3-vl-plus", []string{"ask", "--image", "", "hi"}},
		{"--model wins", "qwen3-vl-flash", []string{"ask", "--model", "qwen3-vl-flash", "hi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"ok"}, llm.Usage{})})
			env := fakeEnv(srv)
			env["QWENBOT_LLM_TEXT_MODEL"] = "qwen-text-test"
			args := append([]string(nil), tt.args...)
			for i, a := range args {
				if a == "" {
					args[i] = writePNG(t, 32, 32)
				}
			}
			if code, _, errOut := runMain(t, env, args...); code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			if got := srv.Requests()[0].Body["model"]; got != tt.want {
				t.Errorf("model = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestAskInterruptedExits130Quietly(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"partial"}, llm.Usage{})[:1], Hang: true})
	sigs := make(chan os.Signal, 1)
	var stdout, stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- runWith(context.Background(), runOptions{signals: sigs}, []string{"ask", "hi"}, envMap(fakeEnv(srv)), &stdout, &stderr)
	}()
	srv.WaitRequests(t, 1)
	sigs <- syscall.SIGINT
	if c := <-code; c != exitInterrupted {
		t.Errorf("exit %d, want %d", c, exitInterrupted)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", stderr.String())
	}
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		wantCode int
	}{
		{"ready", http.StatusOK, exitOK},
		{"not ready", http.StatusServiceUnavailable, exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/readyz" {
					http.NotFound(w, r)
					return
				}
				w.WriteHeader(tt.status)
				w.Write([]byte("store: ok\n"))
			}))
			defer srv.Close()
			listen := strings.TrimPrefix(srv.URL, "http://127.0.0.1")
			code, out, errOut := runMain(t, map[string]string{"QWENBOT_HTTP_LISTEN": listen}, "health")
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errOut)
			}
			if !strings.Contains(out, "store: ok") {
				t.Errorf("stdout = %q, want /readyz's body", out)
			}
		})
	}
}

func TestReadyzURL(t *testing.T) {
	for listen, want := range map[string]string{
		":8080":          "http://127.0.0.1:8080/readyz",
		"0.0.0.0:8080":   "http://127.0.0.1:8080/readyz",
		"127.0.0.1:9000": "http://127.0.0.1:9000/readyz",
		"[::]:8080":      "http://127.0.0.1:8080/readyz",
	} {
		if got, err := readyzURL(listen); err != nil || got != want {
			t.Errorf("readyzURL(%q) = %q, %v; want %q", listen, got, err, want)
		}
	}
	if _, err := readyzURL(""); err == nil {
		t.Error(`readyzURL("") = nil error`)
	}
}
