package render

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Split cuts md into parts whose Render(style, part) each measures at most
// limit with Count(style, …). It cuts on paragraph, then line, then word
// (or CJK punctuation) boundaries, and only then mid-word; it avoids
// cutting inside inline code and math. A cut inside a fenced code block
// closes the fence at the end of the part and reopens it, with the same
// info string, at the start of the next. It never splits a UTF-8
// character, so never a UTF-16 surrogate pair. No character of md is lost:
// the parts, without the added fence lines and with whitespace trimmed at
// the cuts, concatenate to md.
//
// A limit ≤ 0 means no limit. Text with nothing but whitespace yields no
// parts. Only a limit too small for a single character plus a reopened
// fence can yield a part over the limit.
func Split(style Style, md string, limit int) []string {
	if strings.TrimSpace(md) == "" {
		return nil
	}
	if limit <= 0 {
		return []string{md}
	}
	return newSplitter(style, md, limit).split()
}

// splitter holds what Split learns about md once.
type splitter struct {
	style  Style
	md     string
	limit  int
	fences []fence
	// zones are cut positions never used: strictly inside fence delimiter
	// lines. noCut are positions never used for soft cuts: inside inline
	// code and math, and inside emphasis, strikethrough and links that fit
	// the limit. keep are the noCut ranges that fit the limit, avoided by
	// hard cuts too while another cut fits. All are open intervals
	// (start, end).
	zones, noCut, keep []span
	// tiers are candidate cuts: paragraph, line, word boundaries.
	tiers [3][]int
	// measured is the number of source bytes rendered to measure parts.
	measured int
}

func newSplitter(style Style, md string, limit int) *splitter {
	s := &splitter{style: style, md: md, limit: limit, fences: scanFences(md)}
	for i := range s.fences {
		s.fitFence(&s.fences[i])
		f := s.fences[i]
		s.zones = append(s.zones, span{f.open, f.contentStart + 1})
		if f.closed() {
			s.zones = append(s.zones, span{f.contentEnd - 1, f.closeEnd})
		}
	}
	s.zones = mergeOpen(s.zones)
	noCut := inlineRanges(md, limit)
	for _, sp := range noCut {
		if utf8.RuneCountInString(md[sp.start:sp.end]) <= limit {
			s.keep = append(s.keep, sp)
		}
	}
	s.noCut, s.keep = mergeOpen(noCut), mergeOpen(s.keep)
	s.candidates()
	return s
}

// fitFence drops a fence's info string, then its reopening altogether,
// when the added fence lines alone would take half the limit.
func (s *splitter) fitFence(f *fence) {
	overhead := func() int {
		return s.count(f.reopenLine()+"\nx\n"+f.closeLine()) - 1
	}
	if overhead() <= s.limit/2 {
		return
	}
	f.info = ""
	if overhead() > s.limit/2 {
		f.marker = "" // cut inside it as plain text
	}
}

// inlineRanges returns md's inline code spans, LaTeX math, and the
// emphasis, strikethrough and links whose source is at most limit
// characters.
func inlineRanges(md string, limit int) []span {
	markup := markupRanges{md: md}
	inline, blocks := scanParts(md, &markup)
	ranges := append([]span(nil), inline...)
	for _, sp := range markup.ranges {
		if utf8.RuneCountInString(md[sp.start:sp.end]) <= limit {
			ranges = append(ranges, sp)
		}
	}
	if strings.ContainsAny(md, `$\`) {
		t := texScanner{src: md, protected: mergeSpans(append(inline, blocks...))}
		t.run()
		ranges = append(ranges, t.math...)
	}
	return ranges
}

// candidates lists the paragraph, line and word boundaries of md.
func (s *splitter) candidates() {
	md := s.md
	// blank reports whether the line before the current one is blank.
	blank := strings.TrimSpace(md[:lineEnd(md, 0)]) == ""
	for i := 1; i < len(md); i++ {
		c := md[i]
		if md[i-1] == '\n' {
			if !s.blocked(i, true) {
				if blank && s.fenceAt(i) == nil {
					s.tiers[0] = append(s.tiers[0], i)
				}
				s.tiers[1] = append(s.tiers[1], i)
			}
			blank = strings.TrimSpace(md[i:lineEnd(md, i)]) == ""
		}
		if !isSpaceByte(c) && wordBoundaryBefore(md, i) && !s.blocked(i, true) {
			s.tiers[2] = append(s.tiers[2], i)
		}
	}
}

// wordBoundaryBefore reports whether a word starts at i: after a space or
// after CJK punctuation.
func wordBoundaryBefore(md string, i int) bool {
	if md[i-1] == ' ' || md[i-1] == '\t' {
		return true
	}
	if md[i-1] < utf8.RuneSelf || !utf8.RuneStart(md[i]) {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(md[:i])
	return strings.ContainsRune("。！？；，、：）」』", r)
}

func lineEnd(md string, i int) int {
	if j := strings.IndexByte(md[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(md)
}

// blocked reports whether c lies in a fence delimiter zone, or, when soft,
// in a noCut range.
func (s *splitter) blocked(c int, soft bool) bool {
	return inOpen(s.zones, c) || (soft && inOpen(s.noCut, c))
}

// fenceAt returns the fence whose content strictly contains c, if it is
// reopened across cuts.
func (s *splitter) fenceAt(c int) *fence {
	k := sort.Search(len(s.fences), func(k int) bool { return s.fences[k].open >= c })
	if k == 0 {
		return nil
	}
	if f := &s.fences[k-1]; f.marker != "" && f.inside(c) {
		return f
	}
	return nil
}

func (s *splitter) count(part string) int {
	s.measured += len(part)
	return Count(s.style, Render(s.style, part))
}

// inOpen reports whether c is strictly inside one of the sorted, disjoint
// open intervals.
func inOpen(spans []span, c int) bool {
	k := sort.Search(len(spans), func(k int) bool { return spans[k].start >= c })
	return k > 0 && c < spans[k-1].end
}

// mergeOpen sorts open intervals and merges those sharing a point.
func mergeOpen(spans []span) []span {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && sp.start < out[n-1].end {
			out[n-1].end = max(out[n-1].end, sp.end)
			continue
		}
		out = append(out, sp)
	}
	return out
}
