package render_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qwenbot/qwenbot/bots/render"
	"github.com/qwenbot/qwenbot/bots/telegram/tgtest"
)

var updateRich = flag.Bool("update-rich", false, "rewrite testdata/rich/*.golden")

// richAnswers returns the homework answers of testdata/rich, by name.
func richAnswers(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "rich", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/rich answers: %v", err)
	}
	out := make(map[string]string, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".md")] = string(b)
	}
	return out
}

// TestRichGolden converts each homework answer and compares the payload
// with the reviewed fixture.
func TestRichGolden(t *testing.T) {
	for name, md := range richAnswers(t) {
		t.Run(name, func(t *testing.T) {
			got := render.Rich(md, false)
			path := filepath.Join("testdata", "rich", name+".golden")
			if *updateRich {
				if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got+"\n" != string(want) {
				t.Errorf("Rich(%s) =\n%s\nwant\n%s", name, got, want)
			}
			if err := tgtest.ValidateRichMarkdown(got, false); err != nil {
				t.Errorf("the fake Bot API refuses the payload: %v", err)
			}
		})
	}
}

// TestRichEveryPrefixValid streams each answer rune by rune: every prefix
// converts to a payload the fake Bot API accepts (or to nothing yet).
func TestRichEveryPrefixValid(t *testing.T) {
	for name, md := range richAnswers(t) {
		t.Run(name, func(t *testing.T) {
			for i := range len(md) + 1 {
				if !utf8.ValidString(md[:i]) {
					continue
				}
				got := render.Rich(md[:i], i < len(md))
				if strings.TrimSpace(got) == "" {
					continue
				}
				if err := tgtest.ValidateRichMarkdown(got, true); err != nil {
					t.Fatalf("prefix %d (%q…): %v\npayload:\n%s", i, md[max(0, i-30):i], err, got)
				}
			}
		})
	}
}

// TestRichSplitKeepsBlocks splits a long answer under small limits: every
// part is valid on its own and the parts hold the whole answer.
func TestRichSplitKeepsBlocks(t *testing.T) {
	var b strings.Builder
	for _, md := range richAnswers(t) {
		b.WriteString(md + "\n\n")
	}
	rich := render.Rich(strings.Repeat(b.String(), 3), false)
	parts := render.RichSplit(rich, 600, 20)
	if len(parts) < 2 {
		t.Fatalf("got %d parts, want several", len(parts))
	}
	for i, p := range parts {
		if n := utf8.RuneCountInString(p); n > 600 {
			t.Errorf("part %d has %d characters", i, n)
		}
		if n := render.RichBlocks(p); n > 20 {
			t.Errorf("part %d has %d blocks", i, n)
		}
		if err := tgtest.ValidateRichMarkdown(p, false); err != nil {
			t.Errorf("part %d refused: %v\n%s", i, err, p)
		}
	}
	if got := strings.Fields(strings.Join(parts, "\n\n")); strings.Join(got, " ") != strings.Join(strings.Fields(rich), " ") {
		t.Errorf("the parts do not hold the whole answer")
	}
}

func TestRichPartialHoldsBack(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"open display formula", "Text\n\n$$\nx = \\frac{1", "Text"},
		{"open inline formula", "Let $x = \\frac{1", "Let"},
		{"open code fence", "```go\nfmt.Println(", "```go\nfmt.Println(\n```"},
		{"incomplete table row", "| a | b |\n|---|---|\n| 1 |", "| a | b |\n|---|---|"},
		{"open bold", "The **answer", "The"},
		{"open code span", "Run `go te", "Run"},
		{"fence being opened", "Code:\n```pyth", "Code:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := render.Rich(tc.in, true); got != tc.want {
				t.Errorf("Rich(%q, partial) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRichDraftThinking(t *testing.T) {
	md := render.RichThinking("Let a = 2", 600)
	want := "<tg-thinking>💭 Thinking…</tg-thinking>\n\n> Let a \\= 2"
	if got := render.RichDraft(md); got != want {
		t.Errorf("RichDraft = %q, want %q", got, want)
	}
	if got := render.RichDraft("$x$"); got != "$x$" {
		t.Errorf("RichDraft of an answer = %q, want it unchanged", got)
	}
	if err := tgtest.ValidateRichMarkdown(md, false); err != nil {
		t.Errorf("the thinking section in a message is refused: %v", err)
	}
}

func TestRichIndentedDisplayMath(t *testing.T) {
	got := render.Rich("1. Solve:\n   \\begin{cases}\n   x = 1 \\\\\n   y = 2\n   \\end{cases}\n2. Done", false)
	want := "1. Solve:\n   $$\n   \\begin{cases}\n   x = 1 \\\\\n   y = 2\n   \\end{cases}\n   $$\n2. Done"
	if got != want {
		t.Errorf("Rich = %q, want %q", got, want)
	}
}
