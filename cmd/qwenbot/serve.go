package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/discord"
	"github.com/qwenbot/qwenbot/bots/telegram"
	"github.com/qwenbot/qwenbot/memory"
)

// chatStore is the history store as serve uses it: what the engine needs,
// plus de-duplication for Telegram webhooks and a readiness ping.
// *memory.Store and *memory.Embedded implement it.
type chatStore interface {
	Load(ctx context.Context, chat string, maxTurns, maxImages int) (memory.History, error)
	Append(ctx context.Context, chat string, t memory.Turn, images ...memory.Image) error
	Reset(ctx context.Context, chat string) error
	Settings(ctx context.Context, chat string) (memory.Settings, error)
	SetSettings(ctx context.Context, chat string, s memory.Settings) error
	Lock(ctx context.Context, chat string, ttl time.Duration) (*memory.Lock, error)
	AddUsage(ctx context.Context, counter string, n int64, ttl time.Duration) (int64, error)
	Usage(ctx context.Context, counter string) (int64, error)
	Seen(ctx context.Context, id string, ttl time.Duration) (bool, error)
	Ping(ctx context.Context) error
}

// platform is a running chat platform adapter.
type platform interface {
	Run(ctx context.Context) error
	Ready() bool
}

// serve runs "qwenbot serve": every configured platform until ctx ends.
func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	var cfgPath string
	fs := newFlagSet("serve", stderr, &cfgPath)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Errorf("serve: unexpected argument %q", pos[0])}
	}
	cfg, err := loadValidConfig(cfgPath, getenv)
	if err != nil {
		return err
	}
	if cfg.TelegramToken == "" && cfg.DiscordToken == "" {
		return usageError{errors.New("serve: no platform configured: set TELEGRAM_BOT_TOKEN and/or DISCORD_BOT_TOKEN")}
	}
	log := newLogger(cfg.Log, stderr)
	return newServer(cfg, log, http.DefaultClient).run(ctx)
}

// server is one running qwenbot: its store, engine, platforms and the
// operator endpoint.
type server struct {
	cfg     Config
	log     *slog.Logger
	hc      *http.Client
	reg     *prometheus.Registry
	metrics *metrics
	// opsAddr receives the operator endpoint's address once it listens
	// (tests listen on ":0" and read it).
	opsAddr chan net.Addr
}

func newServer(cfg Config, log *slog.Logger, hc *http.Client) *server {
	reg := prometheus.NewRegistry()
	return &server{cfg: cfg, log: log, hc: hc, reg: reg, metrics: newMetrics(reg), opsAddr: make(chan net.Addr, 1)}
}

// run wires everything and blocks until ctx ends or a platform fails, then
// drains running turns within chat.drain_timeout.
func (s *server) run(ctx context.Context) error {
	store, closeStore, err := s.openStore(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	client, err := newLLMClient(s.cfg, s.hc, s.log)
	if err != nil {
		return err
	}
	eng := bots.New(engineConfig(s.cfg, s.metrics), client, store, s.log.With("component", "engine"))
	platforms, err := s.platforms(eng, store)
	if err != nil {
		_ = eng.Shutdown(context.Background())
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	for name, p := range platforms {
		g.Go(func() error {
			if err := p.Run(gctx); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	if err := s.startOps(gctx, g, store, platforms); err != nil {
		_ = eng.Shutdown(context.Background())
		return err
	}
	s.log.Info("qwenbot started", "platforms", len(platforms), "model", s.cfg.LLM.Model)
	<-gctx.Done()
	s.log.Info("shutting down", "drain_timeout", s.cfg.Chat.DrainTimeout)
	dctx, cancel := context.WithTimeout(context.Background(), s.cfg.Chat.DrainTimeout)
	defer cancel()
	drainErr := eng.Shutdown(dctx)
	if err := g.Wait(); err != nil {
		return err
	}
	if drainErr != nil && !errors.Is(drainErr, context.DeadlineExceeded) {
		return fmt.Errorf("drain: %w", drainErr)
	}
	return nil
}

// openStore connects to Redis, or makes the embedded store when no URL is
// configured.
func (s *server) openStore(ctx context.Context) (chatStore, func(), error) {
	mcfg := memory.Config{Prefix: s.cfg.Redis.Prefix, TTL: s.cfg.Redis.TTL, MaxTurns: s.cfg.Redis.MaxTurns, MaxTokens: s.cfg.Redis.MaxTokens}
	mlog := s.log.With("component", "memory")
	if s.cfg.Redis.URL == "" {
		return memory.NewEmbedded(mcfg, mlog), func() {}, nil
	}
	rdb, err := memory.ParseURL(s.cfg.Redis.URL)
	if err != nil {
		return nil, nil, usageError{fmt.Errorf("redis.url: %w", err)}
	}
	rdb.AddHook(redisErrorHook{s.metrics.redisErrors})
	st := memory.NewStore(rdb, mcfg, mlog)
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := st.Ping(pctx); err != nil {
		_ = rdb.Close()
		return nil, nil, fmt.Errorf("connect to redis: %w", err)
	}
	return st, func() { _ = rdb.Close() }, nil
}

// startOps starts the operator HTTP endpoint under g, unless disabled.
func (s *server) startOps(ctx context.Context, g *errgroup.Group, store chatStore, platforms map[string]platform) error {
	if s.cfg.HTTP.Listen == "" {
		return nil
	}
	ln, err := net.Listen("tcp", s.cfg.HTTP.Listen)
	if err != nil {
		return fmt.Errorf("http.listen: %w", err)
	}
	s.opsAddr <- ln.Addr()
	checks := []readiness{{name: "store", check: store.Ping}}
	for name, p := range platforms {
		checks = append(checks, readiness{name: name, check: func(context.Context) error {
			if !p.Ready() {
				return errors.New("not connected")
			}
			return nil
		}})
	}
	g.Go(func() error { return serveHTTP(ctx, ln, opsHandler(s.reg, checks), s.log) })
	return nil
}

// platforms creates the adapters whose tokens are set.
func (s *server) platforms(eng *bots.Engine, store chatStore) (map[string]platform, error) {
	ps := map[string]platform{}
	if s.cfg.TelegramToken != "" {
		tg, err := telegram.New(s.cfg.TelegramToken, telegramConfig(s.cfg), eng, s.hc, store, s.log.With("component", "telegram"))
		if err != nil {
			return nil, fmt.Errorf("start telegram: %w", err)
		}
		ps["telegram"] = tg
	}
	if s.cfg.DiscordToken != "" {
		dc, err := discord.New(s.cfg.DiscordToken, discordConfig(s.cfg), eng, s.hc, s.log.With("component", "discord"))
		if err != nil {
			return nil, fmt.Errorf("start discord: %w", err)
		}
		ps["discord"] = dc
	}
	return ps, nil
}
