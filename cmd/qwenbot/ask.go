package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/llm"
)

// ask runs "qwenbot ask": one question, streamed to stdout.
func ask(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfgPath, model string
	var images stringList
	var think, explain bool
	fs := newFlagSet("ask", stderr, &cfgPath)
	fs.Var(&images, "image", "image file to send with the prompt (repeatable)")
	fs.BoolVar(&think, "think", false, "let the model reason first; the reasoning goes to stderr")
	fs.StringVar(&model, "model", "", "model to ask instead of llm.model")
	fs.BoolVar(&explain, "explain", false, "print what qwenbot assumes and sends for the model, and ask nothing")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	prompt := strings.TrimSpace(strings.Join(pos, " "))
	if prompt == "" && !explain {
		return usageError{errors.New("ask: a prompt is required, e.g. qwenbot ask --image hw.jpg \"solve problem 3\"")}
	}
	cfg, err := loadValidConfig(cfgPath, getenv)
	if err != nil {
		return err
	}
	if explain {
		return explainModel(cfg, model, stdout)
	}
	log := newLogger(cfg.Log, stderr)
	client, err := newLLMClient(cfg, http.DefaultClient, log)
	if err != nil {
		return err
	}
	if model != "" {
		cfg.LLM.Model = model
	}
	info := client.Model(cfg.LLM.Model)
	parts, err := imageParts(images, cfg, info)
	if err != nil {
		return err
	}
	req := llmRequest(cfg)
	req.Model = cfg.LLM.Model
	req.Thinking = think
	req.Messages = []llm.Message{{Role: llm.RoleUser, Parts: append(parts, llm.TextPart(prompt))}}
	return streamTo(ctx, client, req, stdout, stderr)
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
func streamTo(ctx context.Context, client *llm.Client, req llm.Request, stdout, stderr io.Writer) error {
	st, err := client.Stream(ctx, req)
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	defer st.Close()
	reasoning, answered := false, false
	for {
		ev, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if answered {
				fmt.Fprintln(stdout)
			}
			return fmt.Errorf("ask: %w", err)
		}
		switch ev.Kind {
		case llm.EventReasoning:
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
			fmt.Fprint(stdout, ev.Text)
		case llm.EventDone:
			if ev.FinishReason == "length" {
				fmt.Fprint(stderr, "\n(the answer was cut off at llm.max_tokens)\n")
			}
		}
	}
	fmt.Fprintln(stdout)
	return nil
}
