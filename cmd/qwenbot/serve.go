package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/memory"
)

// chatStore is the history store as serve uses it: what the engine needs,
// plus de-duplication for Telegram webhooks and a readiness ping.
// *memory.Store and *memory.Embedded implement it.
type chatStore interface {
	Load(ctx context.Context, chat string, maxTurns, maxImages int) (memory.History, error)
	Append(ctx context.Context, chat string, t memory.Turn, images ...memory.Image) error
	AppendIfLocked(ctx context.Context, chat string, l *memory.Lock, t memory.Turn, images ...memory.Image) error
	Reset(ctx context.Context, chat string) error
	Settings(ctx context.Context, chat string) (memory.Settings, error)
	SetSettings(ctx context.Context, chat string, s memory.Settings) error
	Lock(ctx context.Context, chat string, ttl time.Duration) (*memory.Lock, error)
	LockFor(ctx context.Context, chat, holder string, ttl time.Duration) (*memory.Lock, error)
	LockForAndLoad(ctx context.Context, chat, holder string, ttl time.Duration, maxTurns, maxImages int) (*memory.Lock, memory.History, error)
	AppendAndRelease(ctx context.Context, chat string, l *memory.Lock, t memory.Turn, images ...memory.Image) error
	AddUsage(ctx context.Context, counter string, n int64, ttl time.Duration) (int64, error)
	Usage(ctx context.Context, counter string) (int64, error)
	Seen(ctx context.Context, id string, ttl time.Duration) (bool, error)
	Ping(ctx context.Context) error
}

var (
	_ chatStore = (*memory.Store)(nil)
	_ chatStore = (*memory.Embedded)(nil)
)

// serve runs "qwenbot serve": every configured platform until ctx ends.
func serve(ctx context.Context, opts runOptions, args []string, getenv func(string) string, stderr io.Writer) error {
	var cfgPath string
	fs := newFlagSet("serve", &cfgPath)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{fmt.Errorf("serve: unexpected argument %q", pos[0])}
	}
	cfg, err := loadValidConfig(cfgPath, getenv, opts.environment())
	if err == nil && cfg.TelegramToken == "" && cfg.DiscordToken == "" {
		err = usageError{errors.New("serve: no platform configured: set TELEGRAM_BOT_TOKEN and/or DISCORD_BOT_TOKEN")}
	}
	if err != nil {
		return logJSON(cfg.Log, stderr, err)
	}
	log := newLogger(cfg.Log, stderr)
	if opts.sdkLogs {
		routeSDKLogs(log)
	}
	if err := newServer(cfg, log, http.DefaultClient, opts).run(ctx); err != nil {
		// Through the configured logger, so JSON logs stay JSON.
		log.Error("qwenbot stopped", "err", err)
		return loggedError{err}
	}
	return nil
}

// server is one running qwenbot: its store, engine, platforms and the
// operator endpoint.
type server struct {
	cfg     Config
	log     *slog.Logger
	hc      *http.Client
	opts    runOptions
	reg     *prometheus.Registry
	metrics *metrics
	// ep is where the server listens, once it does.
	ep endpoints
	// auth is what is known about the model key, for /readyz.
	auth *modelAuth
	// draining is set once shutdown began: /readyz then fails, so load
	// balancers stop sending work while running answers finish.
	draining atomic.Bool
	// up is set once every platform was ready and "started" was logged;
	// a platform failing before then is a failed start: it logs no drain.
	up atomic.Bool
}

func newServer(cfg Config, log *slog.Logger, hc *http.Client, opts runOptions) *server {
	reg := prometheus.NewRegistry()
	return &server{cfg: cfg, log: log, hc: hc, opts: opts, reg: reg, metrics: newMetrics(reg), auth: newModelAuth(cfg.LLM.BaseURL)}
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
	if err := s.auth.checkAtStart(ctx, client, s.log.With("component", "llm")); err != nil {
		return err
	}
	model := watchedModel{Client: client, auth: s.auth}
	ecfg := engineConfig(s.cfg, s.observer())
	ecfg.Video = videoExtractor(s.cfg, s.log.With("component", "video"))
	eng := bots.New(ecfg, model, store, s.log.With("component", "engine"))
	ln, err := s.listen()
	if err != nil {
		return err
	}
	ad, err := s.adapters(eng, store, client.Model(s.cfg.LLM.Model))
	if err != nil {
		ln.close()
		return err
	}
	s.metrics.initLabels(ad.platformLabels())
	return s.runAll(ctx, eng, store, ad, ln)
}

// observer is the engine's metrics observer, wrapped when a test asks.
func (s *server) observer() bots.Observer {
	if s.opts.observe != nil {
		return s.opts.observe(s.metrics)
	}
	return s.metrics
}

// runAll runs the adapters and endpoints until ctx ends or one of them
// fails; then it stops intake (the interactions endpoint first, then the
// adapters), drains the engine and stops the operator endpoint last, so
// /healthz answers while answers finish.
func (s *server) runAll(ctx context.Context, eng *bots.Engine, store chatStore, ad adapters, ln listeners) error {
	eng.ShareBudgets() // before the first request; drain's Shutdown ends it
	g, gctx := errgroup.WithContext(ctx)
	pctx, stopPlatforms := context.WithCancel(context.WithoutCancel(gctx))
	defer stopPlatforms()
	for name, p := range ad.each() {
		g.Go(func() error {
			if err := p.Run(pctx); err != nil {
				return fmt.Errorf("%s: %w", name, platformHint(name, err))
			}
			return nil
		})
	}
	g.Go(func() error {
		defer stopPlatforms()
		return s.serveInteractions(gctx, ln, ad)
	})
	opsCtx, stopOps := context.WithCancel(context.WithoutCancel(ctx))
	defer stopOps()
	if ln.ops != nil {
		h := opsHandler(s.reg, s.checks(store, ad))
		g.Go(func() error { return serveHTTP(opsCtx, ln.ops, h, s.log) })
	}
	s.listening(ln, ad)
	g.Go(func() error { s.waitUp(gctx, ad); return nil })
	<-gctx.Done()
	// A platform that failed before everything was up: a failed start,
	// with nothing to drain and nothing to say about draining.
	failedStart := ctx.Err() == nil && !s.up.Load()
	ad.drain()
	drainErr := s.drain(eng, failedStart)
	stopOps()
	if err := g.Wait(); err != nil {
		return err
	}
	return drainErr
}

// serveInteractions serves Discord's HTTP interactions endpoint, when
// configured, until ctx ends.
func (s *server) serveInteractions(ctx context.Context, ln listeners, ad adapters) error {
	if ln.interactions == nil || ad.dc == nil {
		<-ctx.Done()
		return nil
	}
	return serveHTTP(ctx, ln.interactions, ad.dc.InteractionsHandler(), s.log.With("component", "discord"))
}

// listening tells the test hook where the server listens, before the
// platforms are up.
func (s *server) listening(ln listeners, ad adapters) {
	if s.opts.started != nil {
		s.opts.started(ln.endpoints(ad))
	}
	s.ep = ln.endpoints(ad)
}

// upPoll is how often waitUp asks the platforms whether they are ready.
const upPoll = 50 * time.Millisecond

// waitUp logs "qwenbot started" once every platform is ready (connected,
// commands registered, webhook set), or returns when ctx ends first.
func (s *server) waitUp(ctx context.Context, ad adapters) {
	t := time.NewTicker(upPoll)
	defer t.Stop()
	for !allReady(ad) {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
	attrs := append([]any{"platforms", ad.names(), "model", s.cfg.LLM.Model}, buildInfo().logAttrs()...)
	if s.ep.ops != nil {
		attrs = append(attrs, "ops", s.ep.ops.String())
	}
	if s.ep.interactions != nil {
		attrs = append(attrs, "discord_interactions", s.ep.interactions.String())
	}
	s.up.Store(true)
	s.log.Info("qwenbot started", attrs...)
}

// allReady reports whether every configured platform is ready.
func allReady(ad adapters) bool {
	for _, p := range ad.each() {
		if !p.Ready() {
			return false
		}
	}
	return true
}

// drain lets the engine finish running answers within chat.drain_timeout;
// the engine then ends the rest visibly and stores what they showed.
// quiet leaves the drain out of the log.
func (s *server) drain(eng *bots.Engine, quiet bool) error {
	s.draining.Store(true)
	log := s.log
	if quiet {
		log = slog.New(slog.DiscardHandler)
	}
	log.Info("shutting down: finishing running answers", "drain_timeout", s.cfg.Chat.DrainTimeout)
	dctx, cancel := context.WithTimeout(context.Background(), s.cfg.Chat.DrainTimeout)
	defer cancel()
	err := eng.Shutdown(dctx)
	switch {
	case err == nil:
		log.Info("drained: every running answer finished")
	case errors.Is(err, context.DeadlineExceeded):
		log.Warn("drain timeout: answers still running were interrupted", "drain_timeout", s.cfg.Chat.DrainTimeout)
	default:
		return fmt.Errorf("drain: %w", err)
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
