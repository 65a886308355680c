package discord

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	"golang.org/x/sync/errgroup"
)

// shutdownTimeout bounds closing the interactions endpoint.
const shutdownTimeout = 10 * time.Second

// Run registers the slash commands, opens the gateway (when cfg.Gateway,
// reconnecting whenever it drops) and serves the interactions endpoint
// (when cfg.InteractionsListen), then blocks until ctx is done. It then
// stops the endpoint, closes the gateway, cancels and waits for the
// handlers still running, and returns nil; it returns an error when
// startup or the endpoint fails, or when the gateway refuses the bot for
// good (ErrGatewayRefused). With a journal (UseJournal) it also renews the
// leases of the updates it handles and takes over those of processes that
// died, while it runs. Call Run once.
func (b *Bot) Run(ctx context.Context) error {
	defer b.drain()
	app, err := b.register(ctx)
	if err != nil {
		return fmt.Errorf("run discord bot: %w", err)
	}
	b.log.InfoContext(ctx, "slash commands registered", "application", app, "guild", b.cfg.DevGuildID, "invite", InviteURL(app))
	if !b.cfg.Gateway { // else the gateway's READY names the bot
		b.logName(ctx)
	}
	defer b.startJournal(ctx)()
	if b.cfg.Gateway {
		closeGW, err := b.openGateway()
		if err != nil {
			return fmt.Errorf("run discord bot: %w", err)
		}
		defer closeGW()
	}
	g, gctx := errgroup.WithContext(ctx)
	if b.cfg.Gateway {
		g.Go(func() error { return b.keepConnected(gctx) })
	}
	if b.cfg.InteractionsListen != "" {
		if err := b.serve(ctx, gctx, g); err != nil {
			return fmt.Errorf("run discord bot: %w", err)
		}
	}
	g.Go(func() error { <-gctx.Done(); return nil })
	close(b.started)
	if err := g.Wait(); err != nil {
		return fmt.Errorf("run discord bot: %w", err)
	}
	return nil
}

// openGateway adds the event handlers and connects; the returned function
// disconnects and removes them.
func (b *Bot) openGateway() (func(), error) {
	removers := []func(){
		b.sess.AddHandler(b.onReady),
		b.sess.AddHandler(b.onResumed),
		b.sess.AddHandler(b.onDisconnect),
		b.sess.AddHandler(b.onMessageCreate),
		b.sess.AddHandler(b.onInteractionCreate),
	}
	remove := func() {
		for _, r := range removers {
			r()
		}
	}
	if err := b.sess.Open(); err != nil {
		remove()
		return nil, fmt.Errorf("open gateway: %w", gatewayError(err, b.cfg.MessageContent))
	}
	return func() {
		if err := b.sess.Close(); err != nil {
			b.log.Warn("close gateway", "err", err)
		}
		b.connected.Store(false)
		remove()
	}, nil
}

// serve starts the interactions endpoint in g; it shuts down, with a fresh
// timeout, once gctx is done.
func (b *Bot) serve(ctx, gctx context.Context, g *errgroup.Group) error {
	ln, err := net.Listen("tcp", b.cfg.InteractionsListen)
	if err != nil {
		return fmt.Errorf("listen for interactions: %w", err)
	}
	b.addr.Store(ln.Addr().String())
	srv := newEndpointServer(b.InteractionsHandler())
	b.listening.Store(true)
	b.log.InfoContext(ctx, "serving interactions", "addr", ln.Addr().String())
	g.Go(func() error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve interactions: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		b.listening.Store(false)
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return fmt.Errorf("shut down interactions endpoint: %w", err)
		}
		return nil
	})
	return nil
}

// Timeouts of the interactions endpoint's connections: Discord sends small
// bodies and wants the answer within 3 seconds, so a slow client is cut off
// well before it can tie up the server.
const (
	endpointReadTimeout  = 10 * time.Second
	endpointWriteTimeout = 10 * time.Second
	endpointIdleTimeout  = 2 * time.Minute
)

// newEndpointServer returns the HTTP server of the interactions endpoint.
func newEndpointServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: endpointReadTimeout,
		ReadTimeout:       endpointReadTimeout,
		WriteTimeout:      endpointWriteTimeout,
		IdleTimeout:       endpointIdleTimeout,
	}
}

// onReady records the bot's user id and that the gateway is up.
func (b *Bot) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	if r.User != nil {
		b.setSelf(r.User.ID)
	}
	b.connected.Store(true)
	name := ""
	if r.User != nil {
		name = r.User.Username
	}
	b.log.Info("gateway ready", "user", b.selfID(), "name", name, "guilds", len(r.Guilds))
}

// onResumed records that the gateway is back.
func (b *Bot) onResumed(*discordgo.Session, *discordgo.Resumed) { b.connected.Store(true) }

// onDisconnect records that the gateway is down, and has keepConnected
// reconnect.
func (b *Bot) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	b.connected.Store(false)
	select {
	case b.dropped <- struct{}{}:
	default:
	}
}

// logName logs the bot's user name, asked of the REST API, so an operator
// without the gateway also learns whom users see.
func (b *Bot) logName(ctx context.Context) {
	u, err := b.sess.User("@me", discordgo.WithContext(ctx))
	if err != nil {
		b.log.WarnContext(ctx, "get the bot's name", "err", err)
		return
	}
	b.log.InfoContext(ctx, "connected", "user", u.ID, "name", u.Username)
}
