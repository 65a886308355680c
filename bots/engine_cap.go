package bots

import (
	"strings"
	"unicode/utf8"
)

// textCap counts the characters written to one text of a turn (its
// answer or its reasoning) and keeps it within max of them, so that a
// server streaming without end costs neither unbounded memory nor an
// unbounded number of platform messages.
type textCap struct {
	max int // 0: no cap
	n   int // characters written
}

// write appends s to b, cut at the cap, and reports whether s went past
// the cap: the text is then complete and the stream should stop.
func (c *textCap) write(b *strings.Builder, s string) bool {
	n := utf8.RuneCountInString(s)
	if c.max <= 0 || c.n+n <= c.max {
		b.WriteString(s)
		c.n += n
		return false
	}
	cut := 0
	for range c.max - c.n {
		_, size := utf8.DecodeRuneInString(s[cut:])
		cut += size
	}
	b.WriteString(s[:cut])
	c.n = c.max
	return true
}
