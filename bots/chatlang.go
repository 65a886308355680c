package bots

import "sync"

// maxLangs bounds the chats whose language setting the engine remembers.
const maxLangs = 10000

// langCache remembers the language setting of chats seen lately, so the
// refusals Submit sends at once (without reading the store) use the
// chat's language. It is a hint: a chat not in it is answered in its
// sender's language. Safe for concurrent use.
type langCache struct {
	mu sync.Mutex
	m  map[string]string
}

// newLangCache returns an empty cache.
func newLangCache() *langCache { return &langCache{m: make(map[string]string)} }

// get returns chat's remembered setting, or "".
func (c *langCache) get(chat string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[chat]
}

// set remembers chat's setting ("" forgets it). When full, the cache
// starts over rather than grow.
func (c *langCache) set(chat, lang string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if lang == "" {
		delete(c.m, chat)
		return
	}
	if _, ok := c.m[chat]; !ok && len(c.m) >= maxLangs {
		clear(c.m)
	}
	c.m[chat] = lang
}

// langFor returns the language of the engine's messages in chat, for a
// sender whose app uses user, from the chat's remembered setting.
func (e *Engine) langFor(chat, user string) string {
	return chatLang(e.langs.get(chat), user, e.cfg.Language)
}
