package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/llm/llmtest"
)

// runMain runs run() with env and args and returns its exit code, stdout
// and stderr.
func runMain(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, envMap(env), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// fakeEnv points the bot at the fake DashScope with a test key.
func fakeEnv(srv *llmtest.Server) map[string]string {
	return map[string]string{
		"DASHSCOPE_API_KEY":       "sk-test",
		"QWENBOT_LLM_BASE_URL":    srv.URL,
		"QWENBOT_LLM_MAX_RETRIES": "0",
	}
}

func writePNG(t *testing.T, w, h int) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h { // straight into Pix: Set per pixel is slow under -race
		for x := range w {
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(x), uint8(y), 200, 255
		}
	}
	p := filepath.Join(t.TempDir(), "homework.png")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAskStreamsAnswerWithImage(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(
		[]string{"Let me look", " at the picture."},
		[]string{"The answer", " is **42**."},
		llm.Usage{InputTokens: 1276, OutputTokens: 12, ImageTokens: 1247},
	), ChunkSize: 7})
	img := writePNG(t, 64, 48)

	code, out, errOut := runMain(t, fakeEnv(srv), "ask", "--think", "--image", img, "What", "is", "this?")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if out != "The answer is **42**.\n" {
		t.Errorf("stdout = %q", out)
	}
	if !strings.Contains(errOut, "Let me look at the picture.") || !strings.Contains(errOut, "thinking") {
		t.Errorf("stderr lacks the marked reasoning:\n%s", errOut)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	raw := string(reqs[0].Raw)
	i := strings.Index(raw, "data:image/")
	if i < 0 {
		t.Fatalf("request has no data URL image: %s", raw)
	}
	rest := raw[i:]
	mime, b64, ok := strings.Cut(rest[len("data:"):strings.IndexByte(rest, '"')], ";base64,")
	if !ok {
		t.Fatalf("bad data URL %.60s", rest)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("decode data URL: %v", err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != 64 || cfg.Height != 48 {
		t.Errorf("sent image %s: %dx%d, %v; want 64x48", mime, cfg.Width, cfg.Height, err)
	}
	if !strings.Contains(raw, `"What is this?"`) {
		t.Errorf("prompt missing from request: %.300s", raw)
	}
	if got := reqs[0].Header.Get("X-DashScope-SSE"); got != "enable" {
		t.Errorf("X-DashScope-SSE = %q", got)
	}
}

func TestAskErrors(t *testing.T) {
	tests := []struct {
		name     string
		env      func(srv *llmtest.Server) map[string]string
		resp     *llmtest.Response
		args     []string
		wantCode int
		wantErr  string
	}{
		{
			name:     "no prompt",
			env:      fakeEnv,
			args:     []string{"ask"},
			wantCode: exitUsage,
			wantErr:  "a prompt is required",
		},
		{
			name:     "no api key",
			env:      func(srv *llmtest.Server) map[string]string { return map[string]string{"QWENBOT_LLM_BASE_URL": srv.URL} },
			args:     []string{"ask", "hi"},
			wantCode: exitUsage,
			wantErr:  "DASHSCOPE_API_KEY",
		},
		{
			name:     "missing image",
			env:      fakeEnv,
			args:     []string{"ask", "--image", "/nonexistent/x.jpg", "hi"},
			wantCode: exitUsage,
			wantErr:  "read image",
		},
		{
			name:     "bad config",
			env:      func(srv *llmtest.Server) map[string]string { return map[string]string{"QWENBOT_LLM_PROTOCOL": "grpc"} },
			args:     []string{"ask", "hi"},
			wantCode: exitUsage,
			wantErr:  "llm.protocol",
		},
		{
			name:     "invalid key",
			env:      fakeEnv,
			resp:     &llmtest.Response{Status: 401, Body: llmtest.NativeErrorBody("InvalidApiKey", "Invalid API-key provided.")},
			args:     []string{"ask", "hi"},
			wantCode: exitError,
			wantErr:  "(llm.base_url is http://127.0.0.1",
		},
		{
			name: "mid-stream error",
			env:  fakeEnv,
			resp: &llmtest.Response{Frames: []string{
				llmtest.NativeAnswer(nil, []string{"partial"}, llm.Usage{})[0],
				llmtest.NativeErrorEvent(2, 500, "InternalError", "Internal server error"),
			}},
			args:     []string{"ask", "hi"},
			wantCode: exitError,
			wantErr:  "InternalError",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			if tt.resp != nil {
				srv.Enqueue(*tt.resp)
			}
			code, _, errOut := runMain(t, tt.env(srv), tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, errOut)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tt.wantErr, errOut)
			}
			if strings.Contains(errOut, "sk-test") {
				t.Errorf("stderr leaks the API key:\n%s", errOut)
			}
		})
	}
}

func TestBadEnvAndBadSettingsReportedTogether(t *testing.T) {
	code, _, errOut := runMain(t, map[string]string{
		"DASHSCOPE_API_KEY":       "sk-test",
		"QWENBOT_CHAT_QUEUE_SIZE": "many",
		"QWENBOT_LLM_PROTOCOL":    "grpc",
	}, "ask", "hi")
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	for _, want := range []string{"QWENBOT_CHAT_QUEUE_SIZE", "llm.protocol"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestAskExplain(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"2026 model", []string{"ask", "--explain", "--model", "qwen3.5-plus"}, []string{
			"table entry            family qwen3.5",
			"multimodal-generation/generation",
			`request, thinking off  {"incremental_output":true,"enable_thinking":false}`,
			"image budget           images are shrunk to at most 2621440 px",
		}},
		{"unknown model", []string{"ask", "--model", "my-finetune", "--explain"}, []string{
			"model                  my-finetune",
			"table entry            none; assumed: vision model",
			"so /think does nothing",
			"image budget           images are shrunk to at most 2621440 px before upload (qwenbot's default)",
		}},
		{"configured model, prompt ignored", []string{"ask", "--explain", "hi"}, []string{
			"model                  qwen3-vl-plus",
			"vl_high_resolution_images raises the cap to 16777216 px; off",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := llmtest.NewServer(t)
			env := map[string]string{"QWENBOT_LLM_BASE_URL": srv.URL} // no API key needed
			code, out, errOut := runMain(t, env, tt.args...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("--explain sent %d requests", n)
			}
		})
	}
}

func TestAskQwen35ShrinksToItsBudget(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"ok"}, llm.Usage{})})
	img := writePNG(t, 2400, 1800) // 4.32 MP, over qwen3.5-plus's 2,621,440

	code, out, errOut := runMain(t, fakeEnv(srv), "ask", "--model", "qwen3.5-plus", "--image", img, "solve")
	if code != exitOK || out != "ok\n" {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	req := srv.Requests()[0]
	if req.Path != "/api/v1/services/aigc/multimodal-generation/generation" || req.Body["model"] != "qwen3.5-plus" {
		t.Errorf("sent %s model %v", req.Path, req.Body["model"])
	}
	if p, _ := req.Body["parameters"].(map[string]any); p["enable_thinking"] != false {
		t.Errorf("parameters %v: want enable_thinking false without --think", p)
	}
	raw := string(req.Raw)
	i := strings.Index(raw, "base64,")
	data, err := base64.StdEncoding.DecodeString(raw[i+len("base64,") : i+strings.IndexByte(raw[i:], '"')])
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width*cfg.Height > 2621440 || cfg.Width*cfg.Height < 2000000 {
		t.Errorf("sent %dx%d (%v), want just under 2,621,440 px", cfg.Width, cfg.Height, err)
	}
	if strings.Contains(errOut, "capability table") {
		t.Errorf("a known model was warned about:\n%s", errOut)
	}
}

func TestAskUnknownModelWarns(t *testing.T) {
	srv := llmtest.NewServer(t)
	srv.Enqueue(llmtest.Response{Frames: llmtest.NativeAnswer(nil, []string{"ok"}, llm.Usage{})})
	env := fakeEnv(srv)
	env["QWENBOT_LLM_MODEL"] = "my-finetune"
	code, _, errOut := runMain(t, env, "ask", "--think", "hi")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errOut)
	}
	if n := strings.Count(errOut, "capability table"); n != 1 || !strings.Contains(errOut, "my-finetune") ||
		!strings.Contains(errOut, "no thinking switch") {
		t.Errorf("want one warning naming the model and the assumptions, got %d:\n%s", n, errOut)
	}
	if p, _ := srv.Requests()[0].Body["parameters"].(map[string]any); p["enable_thinking"] != nil {
		t.Errorf("parameters %v: an unknown model gets no thinking switch", p)
	}
}
