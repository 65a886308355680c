package memory

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// ErrLocked is returned by TryLock when another owner holds the chat lock.
var ErrLocked = errors.New("chat is locked")

// ErrLockLost is returned by Lock.Refresh, Lock.Release and AppendIfLocked
// when the lock expired or now belongs to someone else.
var ErrLockLost = errors.New("chat lock lost")

// Turn is one exchange of a conversation: the user's message and the
// assistant's answer. It is stored as JSON; the tags are short and stable.
// Tokens and Images come first because the Redis scripts read the
// `{"k":N,"i":` prefix without decoding the whole turn: keep that order.
type Turn struct {
	// Tokens is the approximate prompt cost of this turn, for the budget.
	Tokens int `json:"k"`
	// Images are the images sent with this turn, in order.
	Images []ImageRef `json:"i,omitempty"`
	// SenderID and SenderName identify the user (groups share a history).
	SenderID   string `json:"sid,omitempty"`
	SenderName string `json:"sn,omitempty"`
	// User is the user's text.
	User string `json:"u,omitempty"`
	// Assistant is the answer, or what was shown when the turn was stopped.
	Assistant string `json:"a,omitempty"`
	// Stopped reports that the user stopped the answer early.
	Stopped bool `json:"x,omitempty"`
	// At is when the turn was stored; Append sets it when zero.
	At time.Time `json:"t"`
	// ID, when set, makes appending idempotent: a turn whose ID is among
	// the newest stored turns is not stored again, so an append retried
	// after an error whose first attempt did reach Redis is kept once.
	// Letters, digits and ".-_" only.
	ID string `json:"id,omitempty"`
}

// ImageRef identifies an image stored once per chat by content hash.
type ImageRef struct {
	// Hash is the lowercase hex SHA-256 of the image bytes.
	Hash   string `json:"h"`
	MIME   string `json:"m,omitempty"`
	Width  int    `json:"w,omitempty"`
	Height int    `json:"ht,omitempty"`
}

// Image is an image's bytes and reference.
type Image struct {
	Ref  ImageRef
	Data []byte
}

// NewImage returns an Image whose Ref.Hash is the SHA-256 of data. It keeps
// data without copying.
func NewImage(mime string, data []byte, w, h int) Image {
	sum := sha256.Sum256(data)
	return Image{
		Ref:  ImageRef{Hash: hex.EncodeToString(sum[:]), MIME: mime, Width: w, Height: h},
		Data: data,
	}
}

// History is a chat's recent turns, the bytes of its most recent images and
// its settings.
type History struct {
	// Turns are oldest first.
	Turns []Turn
	// Images holds, by hash, the bytes of the distinct images referenced by
	// the newest image refs (up to the maxImages given to Load). Refs not in
	// the map are older (or expired): show them as a placeholder.
	Images map[string][]byte
	// Settings are the chat's settings (zero if none), as Settings
	// returns them, read in the same round trip.
	Settings Settings
}

// Settings are a chat's preferences. Zero fields mean "use the default".
type Settings struct {
	// Thinking turns the model's reasoning on or off; nil means default.
	Thinking     *bool
	SystemPrompt string
	Model        string
	Lang         string
}

// validHash reports whether h looks like a hex SHA-256 as NewImage makes it.
// Only such hashes become key names.
func validHash(h string) bool {
	if len(h) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
