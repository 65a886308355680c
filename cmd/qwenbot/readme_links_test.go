package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// slug is GitHub's anchor for a heading: lower case, punctuation dropped,
// spaces as hyphens.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestREADMELinksResolve(t *testing.T) {
	text := readme(t)
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^#+ (.+)$`).FindAllStringSubmatch(text, -1) {
		anchors[slug(m[1])] = true
	}
	for _, m := range regexp.MustCompile(`\]\(#([^)]+)\)`).FindAllStringSubmatch(text, -1) {
		if !anchors[m[1]] {
			t.Errorf("README links to #%s, which is no heading", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`\]\(([A-Za-z.][^):#]*)\)`).FindAllStringSubmatch(text, -1) {
		if _, err := os.Stat("../../" + m[1]); err != nil {
			t.Errorf("README links to %s: %v", m[1], err)
		}
	}
}

func TestLicense(t *testing.T) {
	raw, err := os.ReadFile("../../LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"MIT License", "Copyright (c) 2026 the qwenbot authors"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("LICENSE lacks %q", want)
		}
	}
	if !strings.Contains(readme(t), "[LICENSE](LICENSE)") {
		t.Error("README does not link LICENSE")
	}
}

func TestREADMEQuickStart(t *testing.T) {
	text := readme(t)
	quick := text[strings.Index(text, "## Quick start"):strings.Index(text, "## Get a key")]
	for _, want := range []string{"Go 1.26.8", "Docker", "(#get-a-key)", "(#telegram-setup-botfather)", "What you should see", "qwenbot started", "connected as @"} {
		if !strings.Contains(quick, want) {
			t.Errorf("Quick start lacks %q", want)
		}
	}
	for _, url := range []string{singaporeBaseURL, beijingBaseURL} {
		if !strings.Contains(text, url) {
			t.Errorf("README does not name %s", url)
		}
	}
}
