package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
)

// tokenLifetime is how long the adapter uses an interaction token; Discord
// accepts it for 15 minutes, the margin covers clock skew and slow edits.
const tokenLifetime = 14 * time.Minute

// holdAfter is when an original response still showing "is thinking…" is
// filled with a note, while the token can still edit it.
const holdAfter = tokenLifetime - time.Minute

// An interaction acknowledged in the HTTP endpoint's response may not be
// known to the REST API for a moment: the first edit of its original
// response is retried, ackRetries times ackRetryDelay apart, while the
// interaction is younger than ackGrace.
const (
	ackRetries    = 4
	ackRetryDelay = 250 * time.Millisecond
	ackGrace      = 10 * time.Second
)

// interactionSurface replies to one interaction: the first Send fills the
// deferred original response, later Sends post followups, and edits go to
// the webhook message endpoints. Every request goes through the
// interaction's own rate-limit bucket, so a chat's edits never wait behind
// another chat's. Once the token has (nearly) expired, or Discord says it
// has, edits of interaction messages fail with bots.ErrGone and Send posts
// normal channel messages instead. It is safe for concurrent use.
type interactionSurface struct {
	s        *discordgo.Session
	id       string // interaction id, for the callback
	app      string
	token    string
	channel  *channelSurface
	clock    bots.Clock
	created  time.Time
	deadline time.Time
	httpAck  bool // acknowledged in the HTTP endpoint's response

	// limiter owns bucket; each interaction has its own, freed with it.
	limiter *discordgo.RateLimiter
	bucket  *discordgo.Bucket

	sendMu   sync.Mutex // serialises Sends, which decide original vs followup
	mu       sync.Mutex
	original bool          // the original response holds a message
	origID   string        // its message id
	filled   chan struct{} // closed once original is set
	expired  bool          // Discord rejected the token
}

var _ bots.Surface = (*interactionSurface)(nil)

// newInteractionSurface returns the surface of interaction i, received now;
// httpAck tells that it is acknowledged in an HTTP response rather than
// through the callback endpoint.
func newInteractionSurface(s *discordgo.Session, i *discordgo.Interaction, ch *channelSurface, clock bots.Clock, httpAck bool) *interactionSurface {
	rl := discordgo.NewRatelimiter()
	now := clock.Now()
	return &interactionSurface{
		s: s, id: i.ID, app: i.AppID, token: i.Token, channel: ch, clock: clock,
		created: now, deadline: now.Add(tokenLifetime), httpAck: httpAck,
		limiter: rl,
		bucket:  rl.GetBucket("interaction:" + i.ID),
		filled:  make(chan struct{}),
	}
}

// since dates the interaction to at, when Discord created it, rather than
// to when the surface was made: a journaled interaction taken over from a
// process that died keeps its token's true deadline. Call it before the
// surface is used.
func (is *interactionSurface) since(at time.Time) {
	is.created, is.deadline = at, at.Add(tokenLifetime)
}

// request makes one REST request in the interaction's own bucket, and
// stops using the token when Discord rejects it.
func (is *interactionSurface) request(ctx context.Context, method, url string, body any) ([]byte, error) {
	resp, err := is.do(ctx, method, url, body)
	if errors.Is(err, errTokenExpired) {
		is.expire()
	}
	return resp, err
}

// patchOriginal fills the original response, retrying while Discord may
// not know yet that the HTTP endpoint acknowledged the interaction.
func (is *interactionSurface) patchOriginal(ctx context.Context, url string, body any) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		resp, err := is.do(ctx, http.MethodPatch, url, body)
		if err == nil || !is.mayBeUnacked(attempt, err) {
			if errors.Is(err, errTokenExpired) {
				is.expire()
			}
			return resp, err
		}
		select {
		case <-is.clock.After(ackRetryDelay):
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for interaction acknowledgement: %w", ctx.Err())
		}
	}
}

// mayBeUnacked reports whether err on the original response may mean that
// Discord has not yet seen the HTTP acknowledgement.
func (is *interactionSurface) mayBeUnacked(attempt int, err error) bool {
	return is.httpAck && attempt < ackRetries && is.clock.Now().Sub(is.created) < ackGrace &&
		(errors.Is(err, errTokenExpired) || errors.Is(err, bots.ErrGone))
}

// do makes one REST request in the interaction's own bucket.
func (is *interactionSurface) do(ctx context.Context, method, url string, body any) ([]byte, error) {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("encode %s body: %w", method, err)
		}
	}
	b := is.limiter.LockBucketObject(is.bucket)
	resp, err := is.s.RequestWithLockedBucket(method, url, "application/json", data, b, 0, discordgo.WithContext(ctx))
	if err != nil {
		return nil, classify(scrub(err, is.token), true)
	}
	return resp, nil
}

// respond answers the interaction through the callback endpoint (gateway
// mode; the HTTP endpoint answers in its response instead).
func (is *interactionSurface) respond(ctx context.Context, r *discordgo.InteractionResponse) error {
	if _, err := is.request(ctx, http.MethodPost, discordgo.EndpointInteractionResponse(is.id, is.token), r); err != nil {
		return fmt.Errorf("respond to interaction: %w", err)
	}
	return nil
}

// live reports whether the token may still be used.
func (is *interactionSurface) live() bool {
	is.mu.Lock()
	defer is.mu.Unlock()
	return !is.expired && is.clock.Now().Before(is.deadline)
}

// expire stops all further use of the token.
func (is *interactionSurface) expire() {
	is.mu.Lock()
	is.expired = true
	is.mu.Unlock()
}

// Send fills the original response the first time, then posts followups;
// once the token is gone it posts channel messages, replying to the
// original response when m replies to nothing.
func (is *interactionSurface) Send(ctx context.Context, m bots.Outgoing) (bots.MessageRef, error) {
	if is.live() {
		ref, err := is.sendWebhook(ctx, m)
		if !errors.Is(err, errTokenExpired) {
			return ref, err
		}
	}
	if m.ReplyTo.IsZero() {
		is.mu.Lock()
		if is.origID != "" {
			m.ReplyTo = makeRef(kindOriginal, is.origID)
		}
		is.mu.Unlock()
	}
	return is.channel.Send(ctx, m)
}

// sendWebhook sends m as the original response or a followup.
func (is *interactionSurface) sendWebhook(ctx context.Context, m bots.Outgoing) (bots.MessageRef, error) {
	is.sendMu.Lock()
	defer is.sendMu.Unlock()
	is.mu.Lock()
	first := !is.original
	is.mu.Unlock()
	kind := kindFollowup
	var resp []byte
	var err error
	if first {
		kind = kindOriginal
		resp, err = is.patchOriginal(ctx, discordgo.EndpointInteractionResponseActions(is.app, is.token), webhookEdit(m))
	} else {
		resp, err = is.request(ctx, http.MethodPost, discordgo.EndpointWebhookToken(is.app, is.token)+"?wait=true",
			&discordgo.WebhookParams{Content: m.Text, Components: buttons(m), AllowedMentions: noMentions()})
	}
	if err != nil {
		return bots.MessageRef{}, fmt.Errorf("send interaction message: %w", err)
	}
	var msg discordgo.Message
	if err := json.Unmarshal(resp, &msg); err != nil {
		return bots.MessageRef{}, fmt.Errorf("send interaction message: decode message: %w", err)
	}
	if msg.ID == "" {
		return bots.MessageRef{}, errors.New("send interaction message: response has no message id")
	}
	if first {
		is.setOriginal(msg.ID)
	}
	return makeRef(kind, msg.ID), nil
}

// setOriginal records that the original response is message id.
func (is *interactionSurface) setOriginal(id string) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.original, is.origID = true, id
	close(is.filled)
}

// holdOriginal makes sure the deferred original response never stays at
// "is thinking…" when the reply starts too late to fill it (a turn queued
// behind long ones): if nothing filled it by holdAfter after the
// interaction arrived, it is filled with note, and the reply continues in
// followups or channel messages. It returns once the original is filled
// or ctx ends.
func (is *interactionSurface) holdOriginal(ctx context.Context, note string) error {
	select {
	case <-is.filled:
		return nil
	case <-ctx.Done():
		return nil
	case <-is.clock.After(is.created.Add(holdAfter).Sub(is.clock.Now())):
	}
	is.sendMu.Lock()
	defer is.sendMu.Unlock()
	select {
	case <-is.filled:
		return nil
	default:
	}
	resp, err := is.patchOriginal(ctx, discordgo.EndpointInteractionResponseActions(is.app, is.token),
		webhookEdit(bots.Outgoing{Text: note, Format: bots.FormatPlain}))
	if err != nil {
		return fmt.Errorf("fill original response: %w", err)
	}
	var msg discordgo.Message
	if err := json.Unmarshal(resp, &msg); err != nil {
		return fmt.Errorf("fill original response: decode message: %w", err)
	}
	if msg.ID == "" {
		return errors.New("fill original response: response has no message id")
	}
	is.setOriginal(msg.ID)
	return nil
}

// webhookURL returns the endpoint of an interaction message, or an error
// when the token may no longer be used.
func (is *interactionSurface) webhookURL(ref bots.MessageRef) (string, error) {
	kind, id, err := parseRef(ref)
	if err != nil {
		return "", err
	}
	if !is.live() {
		return "", errTokenExpired
	}
	if kind == kindOriginal {
		id = "@original"
	}
	return discordgo.EndpointWebhookMessage(is.app, is.token, id), nil
}

// Edit replaces the text of a message sent by Send.
func (is *interactionSurface) Edit(ctx context.Context, ref bots.MessageRef, m bots.Outgoing) error {
	if kind, _, _ := parseRef(ref); kind == kindChannel {
		return is.channel.Edit(ctx, ref, m)
	}
	url, err := is.webhookURL(ref)
	if err == nil {
		_, err = is.request(ctx, http.MethodPatch, url, webhookEdit(m))
	}
	if err != nil {
		return fmt.Errorf("edit interaction message: %w", err)
	}
	return nil
}

// Delete removes a message sent by Send.
func (is *interactionSurface) Delete(ctx context.Context, ref bots.MessageRef) error {
	if kind, _, _ := parseRef(ref); kind == kindChannel {
		return is.channel.Delete(ctx, ref)
	}
	url, err := is.webhookURL(ref)
	if err == nil {
		_, err = is.request(ctx, http.MethodDelete, url, nil)
	}
	if err != nil {
		return fmt.Errorf("delete interaction message: %w", err)
	}
	return nil
}

// Typing does nothing while the token is live: the deferred response
// already shows "<bot> is thinking…". Afterwards it types in the channel.
func (is *interactionSurface) Typing(ctx context.Context) error {
	if is.live() {
		return nil
	}
	return is.channel.Typing(ctx)
}

// Limits returns the channel's limits.
func (is *interactionSurface) Limits() bots.Limits { return is.channel.limits }

// webhookEdit is the body that turns an interaction message into m.
func webhookEdit(m bots.Outgoing) *discordgo.WebhookEdit {
	comps := buttons(m)
	return &discordgo.WebhookEdit{Content: &m.Text, Components: &comps, AllowedMentions: noMentions()}
}
