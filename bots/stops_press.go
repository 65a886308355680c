package bots

import "errors"

// ErrNotAsker is returned by StopTurn when a Stop button is pressed by
// someone who neither asked its turn nor is an admin: in a group, one
// classmate may not stop another's answer.
var ErrNotAsker = errors.New("stop button pressed by neither the asker nor an admin")

// Presser is who pressed a Stop button, known as the adapter knows the
// sender of a turn: User and Sender as in Turn (Sender.Admin from the
// adapter's admins).
type Presser struct {
	User   string
	Sender Sender
}

// asker returns the key p would have as the asker of a turn of chat (see
// Turn.asker).
func (p Presser) asker(chat string) string {
	return askerKey(p.User, chat, p.Sender.ID)
}

// MayStop reports whether p may press the Stop button of turn id of chat:
// p is an admin, or the id ends with p's asker key. An id naming no asker
// (the bare button of replies sent by older versions, or not a turn id)
// is refused nobody: StopTurn then stops no one else's turn. MayStop needs
// no engine, so an adapter that must answer a press before running it (a
// Discord interaction) can refuse it at once.
func (p Presser) MayStop(chat, id string) bool {
	a := askerOfID(id)
	return p.Sender.Admin || a == "" || a == p.asker(chat)
}

// StopTurn is Stop for a Stop button pressed by p, here or on the replica
// running the turn, and reports whether it stopped a turn. A button
// naming its turn (id, the Outgoing.StopID of its message) stops only that
// turn while it runs, so a button left on an earlier reply stops nothing,
// and only when p asked it or is an admin: else StopTurn stops nothing and
// returns ErrNotAsker. The bare button of older versions (id "") names no
// turn: an admin's press stops every turn of the chat, as it always did,
// anyone else's only p's own running turn, as p's /stop would, never
// another asker's. An id that is not a turn id stops nothing. StopTurn is
// safe for concurrent use.
func (e *Engine) StopTurn(chat, id string, p Presser) (bool, error) {
	switch {
	case !p.MayStop(chat, id):
		return false, ErrNotAsker
	case id == "" && p.Sender.Admin:
		return e.Stop(chat), nil
	case id == "":
		return e.stopAnywhere(chat, "", p.asker(chat)), nil
	}
	return e.stopAnywhere(chat, id, ""), nil
}
