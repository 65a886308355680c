package render

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkSplit verifies Split's contract for parts of md: every part renders
// within limit; parts are valid UTF-8; and, after removing added fence
// lines (a reopening first line, a closing last line), the parts appear in
// md in order, separated only by whitespace, covering all of it.
func checkSplit(style Style, md string, limit int, parts []string) error {
	for i, p := range parts {
		if n := Count(style, Render(style, p)); n > limit {
			return fmt.Errorf("part %d measures %d > %d: %q", i, n, limit, p)
		}
		if !utf8.ValidString(p) && utf8.ValidString(md) {
			return fmt.Errorf("part %d is not valid UTF-8", i)
		}
	}
	pos := 0
	for i, p := range parts {
		pos = skipSpace(md, pos)
		core, ok := matchPart(md, pos, p)
		if !ok {
			return fmt.Errorf("part %d %q not found at %d in %q", i, p, pos, md)
		}
		pos += len(core)
	}
	if rest := md[pos:]; strings.TrimSpace(rest) != "" {
		return fmt.Errorf("lost tail %q", rest)
	}
	return nil
}

// matchPart finds p at md[pos:], trying without an added first and/or last
// fence line.
func matchPart(md string, pos int, p string) (string, bool) {
	variants := []string{p}
	first, rest, hasNL := strings.Cut(p, "\n")
	if hasNL && isFenceLine(first) {
		variants = append(variants, rest)
	}
	for _, v := range append([]string(nil), variants...) {
		if i := strings.LastIndexByte(v, '\n'); i >= 0 && isFenceLine(v[i+1:]) {
			variants = append(variants, v[:i])
		}
	}
	for _, v := range variants {
		v = strings.TrimLeft(v, " \t\r\n")
		if strings.HasPrefix(md[pos:], v) {
			return v, true
		}
	}
	return "", false
}

func isFenceLine(line string) bool {
	return fenceRun(strings.TrimLeft(line, " \t>")) >= 3
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpaceByte(s[i]) {
		i++
	}
	return i
}
