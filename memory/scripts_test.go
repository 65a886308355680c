package memory

import (
	"regexp"
	"testing"
)

// TestScriptsDeclareKeys checks that every key a Lua script touches is one
// of its KEYS: a key built inside the script breaks Cluster slot migration
// (no ASK redirect), proxies that route by KEYS, and key-pattern ACLs.
func TestScriptsDeclareKeys(t *testing.T) {
	call := regexp.MustCompile(`redis\.p?call\('(\w+)'(?:,\s*([^,)]+))?`)
	declared := regexp.MustCompile(`^KEYS\[(\d+|i)\]$`)
	for _, sc := range []struct{ name, src string }{
		{"load", loadLua},
		{"append", appendLua},
		{"reset", resetLua},
		{"lock", lockLua},
		{"refresh lock", refreshLockLua},
		{"release lock", releaseLockLua},
		{"claim journal entries", claimLua},
	} {
		t.Run(sc.name, func(t *testing.T) {
			calls := call.FindAllStringSubmatch(sc.src, -1)
			if len(calls) == 0 {
				t.Fatal("no redis calls found")
			}
			for _, c := range calls {
				if !declared.MatchString(c[2]) {
					t.Errorf("%s on %q: not a declared key", c[1], c[2])
				}
			}
		})
	}
}
