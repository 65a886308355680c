package render

import (
	"sort"
	"strings"
	"unicode/utf8"
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
	out = escapeOperatorStars(out)
	if strings.Contains(out, "@everyone") || strings.Contains(out, "@here") {
		out = defuseMentions(out, codeRanges(out))
	}
	fences := scanFences(out)
	if n := len(fences); n > 0 && !fences[n-1].closed() {
		out = strings.TrimRight(out, " \t\n") + "\n" + fences[n-1].closeLine()
	}
	return strings.TrimSpace(out)
}

// escapeOperatorStars escapes, outside code, the star runs that are
// arithmetic (2*3*4, a**2; see isOperatorStar), which Discord would show
// as emphasis. Stars in a URL are left alone.
func escapeOperatorStars(s string) string {
	var code []span
	var b []byte
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '*' {
			continue
		}
		j := i
		for j < len(s) && s[j] == '*' {
			j++
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[j:])
		if i == 0 || j == len(s) || !isOperatorStar(before, after, j-i) || inURL(s, i) {
			i = j - 1
			continue
		}
		if code == nil {
			code = append(codeRanges(s), span{len(s) + 1, len(s) + 1})
		}
		if inSpans(code, i) {
			i = j - 1
			continue
		}
		b = append(b, s[last:i]...)
		for range j - i {
			b = append(b, '\\', '*')
		}
		last, i = j, j-1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// inURL reports whether the word around i contains "://".
func inURL(s string, i int) bool {
	start := strings.LastIndexAny(s[:i], " \t\n(<") + 1
	end := strings.IndexAny(s[i:], " \t\n)>")
	if end < 0 {
		end = len(s) - i
	}
	return strings.Contains(s[start:i+end], "://")
}

// inSpans reports whether i lies in one of the sorted half-open spans.
func inSpans(spans []span, i int) bool {
	k := sort.Search(len(spans), func(k int) bool { return spans[k].end > i })
	return k < len(spans) && spans[k].start <= i
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
