package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/llm"
)

// ask runs "qwenbot ask": one question, streamed to stdout.
func ask(ctx context.Context, opts runOptions, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfgPath, model string
	var images, videos stringList
	var think, explain bool
	fs := newFlagSet("ask", &cfgPath)
	fs.Var(&images, "image", "image `file` to send with the prompt (repeatable)")
	fs.Var(&videos, "video", "video or GIF `file` to send as frames (repeatable; needs ffmpeg)")
	fs.BoolVar(&think, "think", false, "let the model reason first; the reasoning goes to stderr")
	fs.StringVar(&model, "model", "", "`model` to ask (default llm.model, or llm.text_model when set and no image is sent)")
	fs.BoolVar(&explain, "explain", false, "print what qwenbot assumes and sends for the model, and ask nothing")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	prompt := strings.TrimSpace(strings.Join(pos, " "))
	if prompt == "" && len(images) == 0 && len(videos) == 0 && !explain {
		return usageError{errors.New("ask: a prompt is required, e.g. qwenbot ask --image hw.jpg \"solve problem 3\"")}
	}
	cfg, err := loadValidConfig(cfgPath, getenv, opts.environment())
	if err != nil {
		return err
	}
	if explain {
		return explainModel(cfg, model, stdout)
	}
	if prompt == "" { // as a chat does for a photo without a caption
		prompt = cfg.Chat.PhotoPrompt
	}
	if prompt == "" {
		prompt = bots.PhotoPrompt(cfg.Chat.Language)
	}
	log := newLogger(cfg.Log, stderr)
	client, err := newLLMClient(cfg, http.DefaultClient, log)
	if err != nil {
		return err
	}
	// Without --model the client picks llm.model, or llm.text_model for a
	// question without images, as serve does.
	info := client.Model(cmp.Or(model, cfg.LLM.Model))
	parts, err := imageParts(images, cfg, info)
	if err != nil {
		return err
	}
	vparts, err := videoParts(ctx, videos, cfg, info)
	if err != nil {
		return err
	}
	parts = append(vparts, parts...)
	req := llmRequest(cfg)
	req.Model = model
	req.Thinking = think
	req.Messages = []llm.Message{{Role: llm.RoleUser, Parts: append(parts, llm.TextPart(prompt))}}
	out := newAskOutput(stdout, stderr, opts.terminal(stdout), "asking "+cmp.Or(model, "the model")+"…")
	return explainAuth(streamTo(ctx, client, req, out), client.BaseURL())
}

// explainModel prints the capability row and request parameters the client
// uses for model ("" = llm.model), one "name  value" line each. It needs no
// API key and sends nothing.
func explainModel(cfg Config, model string, stdout io.Writer) error {
	if model != "" {
		cfg.LLM.Model = model
	}
	for _, f := range llmConfig(cfg).Explain(llmRequest(cfg)) {
		if f.Name == "image budget" && strings.HasPrefix(f.Value, "unknown") {
			f.Value = fmt.Sprintf("images are shrunk to at most %d px before upload (qwenbot's default)", imaging.DefaultMaxPixels)
		}
		if _, err := fmt.Fprintf(stdout, "%-22s %s\n", f.Name, f.Value); err != nil {
			return fmt.Errorf("ask: %w", err)
		}
	}
	return nil
}

// imageParts reads, checks and shrinks the image files for the model.
func imageParts(files []string, cfg Config, info llm.ModelInfo) ([]llm.Part, error) {
	if len(files) > cfg.Chat.MaxImages {
		return nil, usageError{fmt.Errorf("ask: %d images given, at most %d allowed (chat.max_images)", len(files), cfg.Chat.MaxImages)}
	}
	var parts []llm.Part
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, usageError{fmt.Errorf("ask: read image: %w", err)}
		}
		img, err := imaging.Prepare(data, "", imageOptions(cfg, info))
		if err != nil {
			return nil, usageError{fmt.Errorf("ask: image %s: %w", f, err)}
		}
		parts = append(parts, llm.ImagePart(img.MIME, img.Data))
	}
	return parts, nil
}

// streamTo prints the model's reasoning (to stderr) and answer (to stdout)
// as they arrive.
func streamTo(ctx context.Context, client *llm.Client, req llm.Request, out *askOutput) error {
	stderr := out.stderr
	defer out.started() // the spinner ends however the stream does
	st, err := client.Stream(ctx, req)
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	defer st.Close()
	reasoning, answered, cut := false, false, false
	for {
		ev, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if answered {
				out.finish()
			}
			return fmt.Errorf("ask: %w", err)
		}
		switch ev.Kind {
		case llm.EventReasoning:
			out.started()
			if !reasoning {
				fmt.Fprintln(stderr, "💭 thinking:")
				reasoning = true
			}
			fmt.Fprint(stderr, ev.Text)
		case llm.EventAnswer:
			if reasoning && !answered {
				fmt.Fprint(stderr, "\n💭 end of thinking\n\n")
			}
			answered = true
			out.answer(ev.Text)
		case llm.EventDone:
			cut = ev.FinishReason == "length"
		}
	}
	out.finish()
	if cut {
		fmt.Fprint(stderr, "(the answer was cut off at llm.max_tokens)\n")
	}
	return nil
}
