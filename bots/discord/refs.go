package discord

import (
	"fmt"
	"strings"

	"github.com/qwenbot/qwenbot/bots"
)

// refKind says which endpoint edits a message the adapter sent.
type refKind byte

// The kinds of message a MessageRef can name.
const (
	// kindChannel is a normal channel message: channel endpoints.
	kindChannel refKind = 'c'
	// kindOriginal is an interaction's original response: @original.
	kindOriginal refKind = 'o'
	// kindFollowup is an interaction followup: webhook message endpoints.
	kindFollowup refKind = 'f'
)

// makeRef encodes a message id and its kind into a bots.MessageRef.
func makeRef(k refKind, id string) bots.MessageRef {
	return bots.MessageRef{ID: string(k) + ":" + id}
}

// parseRef decodes a MessageRef made by makeRef.
func parseRef(r bots.MessageRef) (refKind, string, error) {
	k, id, ok := strings.Cut(r.ID, ":")
	if !ok || len(k) != 1 || id == "" {
		return 0, "", fmt.Errorf("parse message ref %q: not a discord ref", r.ID)
	}
	switch kind := refKind(k[0]); kind {
	case kindChannel, kindOriginal, kindFollowup:
		return kind, id, nil
	}
	return 0, "", fmt.Errorf("parse message ref %q: unknown kind", r.ID)
}

// messageID returns the Discord message id a ref names, or "" for the zero
// ref or a foreign one.
func messageID(r bots.MessageRef) string {
	_, id, err := parseRef(r)
	if err != nil {
		return ""
	}
	return id
}
