package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots/journal"
)

// maxInteractionBody bounds the body of one interaction request.
const maxInteractionBody = 1 << 20

// maxSkew is how far a signed timestamp may be from the clock.
const maxSkew = 5 * time.Minute

// InteractionsHandler returns the HTTP interactions endpoint (the
// "Interactions Endpoint URL" of the application): it verifies Discord's
// Ed25519 signature over timestamp and body, rejects bad signatures and
// timestamps more than 5 minutes off with 401, refuses an interaction id
// seen already (a replay, also one to another replica or before a restart
// when the store is shared) with 409, answers PING with PONG, and
// answers commands in the response itself (deferred, or an ephemeral
// refusal) before streaming the answer through REST exactly as in gateway
// mode; with a journal (UseJournal) an interaction with more to do than
// its response is journaled before the response is written. The answer is
// streamed under Run's lifetime, so Run must be running. The handler is
// safe for concurrent use.
func (b *Bot) InteractionsHandler() http.Handler {
	return http.HandlerFunc(b.serveInteraction)
}

// serveInteraction handles one POSTed interaction.
func (b *Bot) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if !b.verify(r.Header, body) {
		b.log.DebugContext(r.Context(), "interaction with bad signature or timestamp", "remote", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	if !b.firstDelivery(r.Context(), seenInteraction, i.AppID, i.ID) {
		b.log.WarnContext(r.Context(), "replayed interaction refused", "interaction", i.ID, "remote", r.RemoteAddr)
		http.Error(w, "interaction already handled", http.StatusConflict)
		return
	}
	parent := threadParent(body)
	re, ok := b.react(&i, parent, true)
	if !ok {
		http.Error(w, "unsupported interaction", http.StatusBadRequest)
		return
	}
	acked := make(chan ack, 1)
	re = b.queueWork(re, acked)
	var en *journal.Entry
	if re.work != nil {
		if en, ok = b.recordInteraction(r.Context(), &i, body, parent, true); !ok {
			acked <- ack{}
			http.Error(w, "interaction already handled", http.StatusConflict)
			return
		}
	}
	writeJSON(w, re.resp)
	acked <- ack{ok: true, en: en}
}

// verify checks the request's signature and timestamp.
func (b *Bot) verify(h http.Header, body []byte) bool {
	if b.pubKey == nil {
		return false
	}
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return false
	}
	ts := h.Get("X-Signature-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := b.cfg.Clock.Now().Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(b.pubKey, msg, sig)
}

// threadParent returns the parent channel when the interaction's partial
// channel object is a thread, else "".
func threadParent(body []byte) string {
	var v struct {
		Channel *discordgo.Channel `json:"channel"`
	}
	if json.Unmarshal(body, &v) != nil || v.Channel == nil || !v.Channel.IsThread() {
		return ""
	}
	return v.Channel.ParentID
}

// writeJSON sends v as the complete JSON response, flushed at once so
// Discord has it before the streaming starts.
func writeJSON(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
	_ = http.NewResponseController(w).Flush()
}
