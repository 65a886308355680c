package dctest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// signer holds the application's key pair and where each interaction
// token was used.
type signer struct {
	priv     ed25519.PrivateKey
	pub      ed25519.PublicKey
	channels map[string]string // interaction token → channel
}

// newSigner returns a signer with a fixed key, so runs are reproducible.
func newSigner(tb testing.TB) signer {
	tb.Helper()
	seed := bytes.Repeat([]byte{7}, ed25519.SeedSize)
	priv := ed25519.NewKeyFromSeed(seed)
	return signer{priv: priv, pub: priv.Public().(ed25519.PublicKey), channels: map[string]string{}}
}

// PublicKey is the application's public key, hex encoded, to configure the
// adapter with.
func (s *Server) PublicKey() string { return hex.EncodeToString(s.signer.pub) }

// Sign returns the X-Signature-Ed25519 and X-Signature-Timestamp headers
// Discord would send with body at ts.
func (s *Server) Sign(body []byte, ts time.Time) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(s.signer.priv, append([]byte(stamp), body...))
	return http.Header{
		"X-Signature-Ed25519":   {hex.EncodeToString(sig)},
		"X-Signature-Timestamp": {stamp},
		"Content-Type":          {"application/json"},
	}
}

// PostInteraction POSTs interaction i (any JSON value) to an interactions
// endpoint at url, signed at ts, and returns the status and body.
func (s *Server) PostInteraction(ctx context.Context, url string, i any, ts time.Time) (int, []byte, error) {
	var body []byte
	var err error
	if di, ok := i.(*discordgo.Interaction); ok {
		body, err = MarshalInteraction(di)
	} else {
		body, err = json.Marshal(i)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("encode interaction: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("build interaction request: %w", err)
	}
	req.Header = s.Sign(body, ts)
	resp, err := s.srv.Client().Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("post interaction: %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("read interaction response: %w", err)
	}
	return resp.StatusCode, out, nil
}

// Invoker is who invokes an interaction, and where.
type Invoker struct {
	// Guild is "" for a DM.
	Guild, Channel string
	User, Username string
	GlobalName     string
	Nick           string
	Roles          []string
}

// Option is one option of a slash command.
type Option struct {
	opt *discordgo.ApplicationCommandInteractionDataOption
	att *discordgo.MessageAttachment
}

// String is a string option.
func String(name, v string) Option {
	return Option{opt: &discordgo.ApplicationCommandInteractionDataOption{
		Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}}
}

// Bool is a boolean option.
func Bool(name string, v bool) Option {
	return Option{opt: &discordgo.ApplicationCommandInteractionDataOption{
		Name: name, Type: discordgo.ApplicationCommandOptionBoolean, Value: v}}
}

// Attachment is an attachment option; a is added to the resolved data.
func Attachment(name string, a *discordgo.MessageAttachment) Option {
	return Option{att: a, opt: &discordgo.ApplicationCommandInteractionDataOption{
		Name: name, Type: discordgo.ApplicationCommandOptionAttachment, Value: a.ID}}
}

// Command returns a slash command interaction by who, with a fresh id and
// token (interaction messages made with the token belong to who.Channel).
func (s *Server) Command(who Invoker, name string, opts ...Option) *discordgo.Interaction {
	data := discordgo.ApplicationCommandInteractionData{
		Name: name, CommandType: discordgo.ChatApplicationCommand,
		Resolved: &discordgo.ApplicationCommandInteractionDataResolved{Attachments: map[string]*discordgo.MessageAttachment{}},
	}
	for _, o := range opts {
		data.Options = append(data.Options, o.opt)
		if o.att != nil {
			data.Resolved.Attachments[o.att.ID] = o.att
		}
	}
	i := s.interaction(who, discordgo.InteractionApplicationCommand)
	data.ID = s.id()
	i.Data = data
	return i
}

// StopClick returns a click on the stop button by who.
func (s *Server) StopClick(who Invoker, customID string) *discordgo.Interaction {
	i := s.interaction(who, discordgo.InteractionMessageComponent)
	i.Data = discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent}
	return i
}

// Ping returns Discord's PING interaction.
func (s *Server) Ping() *discordgo.Interaction {
	return &discordgo.Interaction{ID: s.id(), AppID: AppID, Type: discordgo.InteractionPing, Token: "ping", Version: 1}
}

// interaction returns the common part of an interaction by who.
func (s *Server) interaction(who Invoker, t discordgo.InteractionType) *discordgo.Interaction {
	id := s.id()
	u := &discordgo.User{ID: who.User, Username: who.Username, GlobalName: who.GlobalName}
	i := &discordgo.Interaction{
		ID: id, AppID: AppID, Type: t, GuildID: who.Guild, ChannelID: who.Channel,
		Token: "itoken-" + id, Version: 1,
	}
	if who.Guild != "" {
		i.Member = &discordgo.Member{User: u, Nick: who.Nick, Roles: who.Roles, GuildID: who.Guild}
	} else {
		i.User = u
	}
	s.mu.Lock()
	s.signer.channels[i.Token] = who.Channel
	s.mu.Unlock()
	return i
}

// id returns a fresh id.
func (s *Server) id() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newIDLocked()
}
