package main

import (
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"time"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/discord"
	"github.com/qwenbot/qwenbot/bots/telegram"
	"github.com/qwenbot/qwenbot/llm"
)

// platform is a running chat platform adapter.
type platform interface {
	Run(ctx context.Context) error
	Ready() bool
}

var (
	_ platform = (*telegram.Bot)(nil)
	_ platform = (*discord.Bot)(nil)
)

// adapters are the configured platform adapters; nil when not configured.
type adapters struct {
	tg *telegram.Bot
	dc *discord.Bot
}

// adapters creates the adapters whose tokens are set; info is the default
// model's, whose pixel budget chooses the photo sizes to download (of a
// Telegram photo's sizes, or through Discord's media proxy). Those
// with admins tell them when the model rejects the bot's configuration.
func (s *server) adapters(eng *bots.Engine, store chatStore, info llm.ModelInfo) (adapters, error) {
	var a adapters
	var err error
	if s.cfg.TelegramToken != "" {
		tc := telegramConfig(s.cfg)
		tc.MaxPixels = imageOptions(s.cfg, info).MaxPixels
		a.tg, err = telegram.New(s.cfg.TelegramToken, tc, eng, s.hc, store, s.log.With("component", "telegram"))
		if err != nil {
			return a, fmt.Errorf("start telegram: %w", platformHint("telegram", err))
		}
		s.log.Info("telegram: connected as @"+a.tg.Username(), "component", "telegram", "mode", s.cfg.Telegram.Mode)
		if err := journalTelegram(a.tg, store, s.journalLease()); err != nil {
			return a, err
		}
		if len(s.cfg.Telegram.Admins) > 0 {
			eng.AddAlerter(a.tg)
		}
	}
	if s.cfg.DiscordToken != "" {
		dc := discordConfig(s.cfg)
		dc.MaxPixels = imageOptions(s.cfg, info).MaxPixels
		a.dc, err = discord.New(s.cfg.DiscordToken, dc, eng, s.hc, store, s.log.With("component", "discord"))
		if err != nil {
			return a, fmt.Errorf("start discord: %w", err)
		}
		if err := journalDiscord(a.dc, s.cfg.Discord.ApplicationID, s.cfg.DiscordToken, store, s.journalLease()); err != nil {
			return a, err
		}
		if len(s.cfg.Discord.Admins) > 0 {
			eng.AddAlerter(a.dc)
		}
	}
	return a, nil
}

// journalLease is the lease of the adapters' journal entries: at least
// the drain and a margin, so a draining process's turns are not taken
// over while it finishes them.
func (s *server) journalLease() time.Duration {
	return max(s.cfg.Chat.JournalLease, s.cfg.Chat.DrainTimeout+2*time.Second)
}

// each returns the configured adapters by name.
func (a adapters) each() map[string]platform {
	ps := map[string]platform{}
	if a.tg != nil {
		ps["telegram"] = a.tg
	}
	if a.dc != nil {
		ps["discord"] = a.dc
	}
	return ps
}

// platformLabels returns the platform label values (chat key prefixes)
// of the configured adapters.
func (a adapters) platformLabels() []string {
	var l []string
	if a.tg != nil {
		l = append(l, "tg")
	}
	if a.dc != nil {
		l = append(l, "dc")
	}
	return l
}

// names returns the configured adapters' names, sorted.
func (a adapters) names() []string { return slices.Sorted(maps.Keys(a.each())) }

// checks are the readiness checks behind /readyz: the store answers, every
// adapter is connected, and the server is not draining.
func (s *server) checks(store chatStore, a adapters) []readiness {
	checks := []readiness{{name: "store", check: store.Ping}, {name: "model", check: s.auth.check}}
	ps := a.each()
	for _, name := range a.names() {
		p := ps[name]
		checks = append(checks, readiness{name: name, check: func(context.Context) error {
			if !p.Ready() {
				return errNotConnected
			}
			return nil
		}})
	}
	return append(checks, readiness{name: "intake", check: func(context.Context) error {
		if s.draining.Load() {
			return errDraining
		}
		return nil
	}})
}

// listeners are the sockets serve binds itself before anything starts, so
// their addresses are known at once (tests listen on port 0). nil when
// disabled.
type listeners struct {
	ops, interactions net.Listener
}

// listen binds the operator endpoint and, when Discord is configured with
// one, the HTTP interactions endpoint. cmd serves the latter itself
// (discordConfig leaves the adapter's own listener off) so it can stop it
// before the adapter stops.
func (s *server) listen() (listeners, error) {
	var l listeners
	var err error
	if s.cfg.HTTP.Listen != "" {
		if l.ops, err = net.Listen("tcp", s.cfg.HTTP.Listen); err != nil {
			return l, fmt.Errorf("http.listen: %w", err)
		}
	}
	if s.cfg.DiscordToken != "" && s.cfg.Discord.InteractionsListen != "" {
		if l.interactions, err = net.Listen("tcp", s.cfg.Discord.InteractionsListen); err != nil {
			l.close()
			return l, fmt.Errorf("discord.interactions_listen: %w", err)
		}
	}
	return l, nil
}

// close closes the listeners that are open.
func (l listeners) close() {
	for _, ln := range []net.Listener{l.ops, l.interactions} {
		if ln != nil {
			_ = ln.Close()
		}
	}
}

// endpoints returns the addresses l and a's adapters listen on.
func (l listeners) endpoints(a adapters) endpoints {
	ep := endpoints{telegramWebhook: func() string { return "" }}
	if l.ops != nil {
		ep.ops = l.ops.Addr()
	}
	if l.interactions != nil {
		ep.interactions = l.interactions.Addr()
	}
	if a.tg != nil {
		ep.telegramWebhook = a.tg.WebhookAddr
	}
	return ep
}

// drain makes the adapters stop taking updates, so that the platform
// delivers them again after the restart instead of the engine turning
// them away, and renews their journal leases a last time.
func (a adapters) drain() {
	if a.tg != nil {
		a.tg.Drain()
	}
	if a.dc != nil {
		a.dc.Drain()
	}
}
