package discord

import "time"

// noticeTimeout bounds sending one notice after the request's own context
// has ended.
const noticeTimeout = 10 * time.Second
