package render

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// validateTelegramHTML checks that s is HTML Telegram accepts as we use it:
// valid UTF-8, only allowed tags with allowed attributes, balanced and
// properly nested, no blockquote in a blockquote, nothing inside code or
// pre except <code> directly in <pre>, and entities only &lt; &gt; &amp;
// &quot;.
func validateTelegramHTML(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid UTF-8")
	}
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '>':
			return fmt.Errorf("raw > at %d", i)
		case '&':
			n, err := checkEntity(s[i:])
			if err != nil {
				return fmt.Errorf("at %d: %w", i, err)
			}
			i += n
			continue
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return fmt.Errorf("raw < at %d", i)
			}
			var err error
			if stack, err = checkTag(s[i+1:i+end], stack); err != nil {
				return fmt.Errorf("at %d: %w", i, err)
			}
			i += end + 1
			continue
		}
		i++
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed tags %v", stack)
	}
	return nil
}

func checkEntity(s string) (int, error) {
	for _, e := range []string{"&lt;", "&gt;", "&amp;", "&quot;"} {
		if strings.HasPrefix(s, e) {
			return len(e), nil
		}
	}
	return 0, fmt.Errorf("raw & or unknown entity %.8q", s)
}

// checkTag checks one tag (without its angle brackets) against the stack
// of open tags and returns the new stack.
func checkTag(tag string, stack []string) ([]string, error) {
	if name, ok := strings.CutPrefix(tag, "/"); ok {
		if len(stack) == 0 || stack[len(stack)-1] != name {
			return nil, fmt.Errorf("</%s> closes %v", name, stack)
		}
		return stack[:len(stack)-1], nil
	}
	name, attrs, _ := strings.Cut(tag, " ")
	if err := checkAttrs(name, attrs); err != nil {
		return nil, err
	}
	for _, open := range stack {
		if open == "code" || (open == "pre" && name != "code") {
			return nil, fmt.Errorf("<%s> inside <%s>", name, open)
		}
		if open == "blockquote" && (name == "blockquote" || name == "pre") {
			return nil, fmt.Errorf("<%s> inside <blockquote>", name)
		}
		if open == "a" && (name == "a" || name == "code" || name == "pre") {
			return nil, fmt.Errorf("<%s> inside <a>", name)
		}
	}
	if name == "code" && len(stack) > 0 && stack[len(stack)-1] == "pre" && attrs == "" {
		return nil, fmt.Errorf("<code> in <pre> without a language")
	}
	return append(stack, name), nil
}

func checkAttrs(name, attrs string) error {
	switch name {
	case "b", "i", "u", "s", "pre":
		if attrs == "" {
			return nil
		}
	case "blockquote":
		if attrs == "" || attrs == "expandable" {
			return nil
		}
	case "code":
		if attrs == "" || (strings.HasPrefix(attrs, `class="language-`) && strings.HasSuffix(attrs, `"`)) {
			return nil
		}
	case "a":
		v, ok := strings.CutPrefix(attrs, `href="`)
		if ok && strings.HasSuffix(v, `"`) && !strings.Contains(v[:len(v)-1], `"`) {
			return nil
		}
	default:
		return fmt.Errorf("tag <%s> not allowed", name)
	}
	return fmt.Errorf("bad attributes %q on <%s>", attrs, name)
}

func TestValidateTelegramHTML(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", "a &lt; b &amp;&amp; c &gt; d &quot;", true},
		{"nested", `<b>x <i>y</i> <a href="https://a.b">z</a></b>`, true},
		{"pre code", `<pre><code class="language-go">x</code></pre>`, true},
		{"expandable", "<blockquote expandable>x</blockquote>", true},
		{"raw lt", "a < b", false},
		{"raw gt", "a > b", false},
		{"raw amp", "a & b", false},
		{"numeric entity", "&#60;", false},
		{"unknown tag", "<span>x</span>", false},
		{"unclosed", "<b>x", false},
		{"crossed", "<b><i>x</b></i>", false},
		{"nested quote", "<blockquote><blockquote>x</blockquote></blockquote>", false},
		{"tag in code", "<code><b>x</b></code>", false},
		{"attribute on b", `<b class="x">y</b>`, false},
		{"code in link", `<a href="http://a"><code>x</code></a>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := validateTelegramHTML(tt.in); (err == nil) != tt.ok {
				t.Errorf("validate(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
		})
	}
}
