package memory

import (
	"strings"
	"testing"
)

// hashTag returns what Redis Cluster hashes for key: the text between the
// first '{' and the next '}', if non-empty, else the whole key.
func hashTag(key string) string {
	open := strings.IndexByte(key, '{')
	if open < 0 {
		return key
	}
	end := strings.IndexByte(key[open+1:], '}')
	if end <= 0 {
		return key
	}
	return key[open+1 : open+1+end]
}

var unescapeTag = strings.NewReplacer("%25", "%", "%7B", "{", "%7D", "}")

func TestChatKeys(t *testing.T) {
	for _, tc := range []struct {
		name, prefix, chat, wantTag string
	}{
		{"telegram topic", "qwenbot:", "tg:-100123:7", "tg:-100123:7"},
		{"braces escaped", "qwenbot:", "dc:{x}:}{", "dc:%7Bx%7D:%7D%7B"},
		{"percent escaped", "p:", "a%7Bb", "a%257Bb"},
		{"prefix braces escaped", DefaultPrefix + "{x}", "c", "c"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := newChatKeys(Config{Prefix: tc.prefix}.withDefaults().Prefix, tc.chat)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{k.history, k.settings, k.index, k.images, k.lock} {
				if got := hashTag(key); got != tc.wantTag {
					t.Errorf("tag of %s = %q, want %q", key, got, tc.wantTag)
				}
			}
		})
	}
	if _, err := newChatKeys("p:", ""); err == nil {
		t.Error("empty chat accepted")
	}
}

func TestTaggedKey(t *testing.T) {
	key, err := taggedKey("p:", "usage", "day:{u1}")
	if err != nil || key != "p:usage:{day:%7Bu1%7D}" {
		t.Errorf("taggedKey = %q, %v", key, err)
	}
	if _, err := taggedKey("p:", "seen", ""); err == nil {
		t.Error("empty name accepted")
	}
}

func FuzzEscapeTag(f *testing.F) {
	for _, seed := range []string{"", "tg:1", "{}", "%7B", "a}b{c%", "日本"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := escapeTag(s)
		if strings.ContainsAny(e, "{}") {
			t.Fatalf("escapeTag(%q) = %q keeps a brace", s, e)
		}
		if back := unescapeTag.Replace(e); back != s {
			t.Fatalf("escapeTag(%q) = %q is not reversible (%q)", s, e, back)
		}
	})
}
