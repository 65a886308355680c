package render

import (
	"strings"
)

// renderDiscord converts LaTeX outside code, rewrites headings and tables
// Discord cannot show, defuses mass mentions outside code, and closes a
// code fence left open mid-stream.
func renderDiscord(md string) string {
	out := md
	if strings.ContainsAny(md, `$\`) {
		t := texScanner{src: md, protected: codeRanges(md), escape: escapeMarkdown}
		t.run()
		out = string(t.out)
	}
	out = discordBlocks(out)
	if strings.Contains(out, "@everyone") || strings.Contains(out, "@here") {
		out = defuseMentions(out, codeRanges(out))
	}
	fences := scanFences(out)
	if n := len(fences); n > 0 && !fences[n-1].closed() {
		out = strings.TrimRight(out, " \t\n") + "\n" + fences[n-1].closeLine()
	}
	return strings.TrimSpace(out)
}

// defuseMentions puts a zero-width space after the @ of @everyone and
// @here outside the code ranges, so they cannot ping.
func defuseMentions(s string, code []span) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	last := 0
	for _, c := range code {
		b.WriteString(defuse(s[last:c.start]))
		b.WriteString(s[c.start:c.end])
		last = c.end
	}
	b.WriteString(defuse(s[last:]))
	return b.String()
}

func defuse(s string) string {
	if !strings.Contains(s, "@everyone") && !strings.Contains(s, "@here") {
		return s
	}
	return strings.NewReplacer("@everyone", "@\u200beveryone", "@here", "@\u200bhere").Replace(s)
}
