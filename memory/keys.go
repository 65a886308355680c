package memory

import (
	"errors"
	"strings"
)

// errEmptyKey rejects an empty chat, id or counter name: an empty hash tag
// would scatter one chat's keys over several Cluster slots.
var errEmptyKey = errors.New("empty key")

// escapeTag makes any string safe inside a {hash tag} by percent-escaping
// '{' and '}'. It is injective: '%' is escaped too, so distinct inputs give
// distinct keys.
func escapeTag(s string) string {
	if !strings.ContainsAny(s, "%{}") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			b.WriteString("%25")
		case '{':
			b.WriteString("%7B")
		case '}':
			b.WriteString("%7D")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// chatKeys are the Redis keys of one chat.
type chatKeys struct {
	history  string // list of JSON turns
	settings string // hash
	index    string // sorted set of image hashes scored by last use (ms)
	images   string // hash of image bytes by hex sha256
	lock     string
	lockers  string // sorted set of the holders of the chat's locks, scored by expiry (ms)
}

func newChatKeys(prefix, chat string) (chatKeys, error) {
	if chat == "" {
		return chatKeys{}, errEmptyKey
	}
	base := prefix + "{" + escapeTag(chat) + "}:"
	return chatKeys{
		history:  base + "h",
		settings: base + "s",
		index:    base + "imgs",
		images:   base + "img",
		lock:     base + "lock",
		lockers:  base + "lockers",
	}, nil
}

// holderLock returns the key of the chat's lock for holder: the chat's own
// lock when holder is empty, else one of its own in the chat's hash tag.
func (k chatKeys) holderLock(holder string) string {
	if holder == "" {
		return k.lock
	}
	return k.lock + ":" + escapeTag(holder)
}

// ownsLock reports whether key is one of the chat's locks.
func (k chatKeys) ownsLock(key string) bool {
	return key == k.lock || strings.HasPrefix(key, k.lock+":")
}

// taggedKey is the key of a standalone value (seen marker, counter), in its
// own hash tag.
func taggedKey(prefix, kind, name string) (string, error) {
	if name == "" {
		return "", errEmptyKey
	}
	return prefix + kind + ":{" + escapeTag(name) + "}", nil
}
