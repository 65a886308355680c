package render

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// split produces the parts.
func (s *splitter) split() []string {
	var parts []string
	pos := s.next(0)
	for pos < len(s.md) && strings.TrimSpace(s.md[pos:]) != "" {
		if s.window(pos) == len(s.md) {
			if rest := s.part(pos, len(s.md)); s.count(rest) <= s.limit {
				return append(parts, rest)
			}
		}
		c := s.cut(pos)
		parts = append(parts, s.part(pos, c))
		pos = s.next(c)
	}
	return parts
}

// part builds the part md[pos:c], reopening a fence cut at pos and closing
// one cut at c.
func (s *splitter) part(pos, c int) string {
	var b strings.Builder
	if f := s.fenceAt(pos); f != nil {
		b.WriteString(f.reopenLine())
		b.WriteByte('\n')
	}
	b.WriteString(strings.TrimRight(s.md[pos:c], " \t\r\n"))
	if f := s.fenceAt(c); f != nil {
		b.WriteByte('\n')
		b.WriteString(f.closeLine())
	}
	return b.String()
}

// next returns where the part after a cut at c starts: blank lines are
// skipped, a line's indentation is kept, inside a fence nothing is skipped.
func (s *splitter) next(c int) int {
	if s.fenceAt(c) != nil {
		return c
	}
	k := c
	for k < len(s.md) && isSpaceByte(s.md[k]) {
		k++
	}
	if nl := strings.LastIndexByte(s.md[c:k], '\n'); nl >= 0 {
		return c + nl + 1
	}
	if c == 0 || s.md[c-1] == '\n' {
		return c
	}
	return k
}

// cut chooses where the part starting at pos ends: the furthest fitting
// boundary of the best tier that fills at least half the limit, else the
// furthest fitting cut of any kind.
func (s *splitter) cut(pos int) int {
	first := pos
	for first < len(s.md) && isSpaceByte(s.md[first]) {
		first++
	}
	best := -1
	for _, tier := range s.tiers {
		cands := tier[sort.SearchInts(tier, first+1):sort.SearchInts(tier, s.window(pos)+1)]
		c, n, ok := s.furthest(pos, cands)
		if !ok {
			continue
		}
		if n >= s.limit/2 {
			return c
		}
		best = max(best, c)
	}
	hard := s.hardCandidates(pos, first, s.keep)
	c, _, ok := s.furthest(pos, hard)
	if !ok {
		hard = s.hardCandidates(pos, first, nil)
		c, _, ok = s.furthest(pos, hard)
	}
	if ok {
		best = max(best, c)
	}
	if best < 0 { // nothing fits: take one character and move on
		if len(hard) > 0 {
			return hard[0]
		}
		return len(s.md)
	}
	return best
}

// window returns how far a part starting at pos may reach: a source range
// generous enough for any part. Only text inside it is rendered to measure
// a part, so splitting stays linear in the length of md.
func (s *splitter) window(pos int) int {
	return min(len(s.md), pos+16*s.limit+64)
}

// hardCandidates lists the character boundaries after first, up to the
// window, outside fence delimiter lines and the avoid ranges.
func (s *splitter) hardCandidates(pos, first int, avoid []span) []int {
	end := s.window(pos)
	var cands []int
	for c := first + 1; c < end; c++ {
		if utf8.RuneStart(s.md[c]) && !s.blocked(c, false) && !inOpen(avoid, c) {
			cands = append(cands, c)
		}
	}
	return cands
}

// furthest returns the furthest candidate whose part fits, and its count.
// It probes exponentially from the nearest candidate, then bisects; the
// measure is not strictly monotonic, but every returned cut was measured.
func (s *splitter) furthest(pos int, cands []int) (int, int, bool) {
	fit := func(k int) (int, bool) {
		n := s.count(s.part(pos, cands[k]))
		return n, n <= s.limit
	}
	if len(cands) == 0 {
		return 0, 0, false
	}
	n, ok := fit(0)
	if !ok {
		return 0, 0, false
	}
	lo, loN, hi := 0, n, len(cands)
	for step := 1; lo+step < len(cands); step *= 2 {
		n, ok := fit(lo + step)
		if !ok {
			hi = lo + step
			break
		}
		lo, loN = lo+step, n
	}
	if hi == len(cands) && lo < len(cands)-1 {
		if n, ok := fit(len(cands) - 1); ok {
			return cands[len(cands)-1], n, true
		}
		hi = len(cands) - 1
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if n, ok := fit(mid); ok {
			lo, loN = mid, n
		} else {
			hi = mid
		}
	}
	return cands[lo], loN, true
}
