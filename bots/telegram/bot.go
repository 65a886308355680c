package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/journal"
	"github.com/qwenbot/qwenbot/bots/keyqueue"
)

// engine is what the adapter needs of *bots.Engine.
type engine interface {
	Submit(ctx context.Context, t bots.Turn) error
	Command(ctx context.Context, c bots.Command) error
	Notify(ctx context.Context, chat, paceKey string, s bots.Surface, replyTo bots.MessageRef, text string)
	StopTurn(chat, id string, by bots.Presser) (bool, error)
}

// deduper records ids shared by several replicas (memory.Store's Seen):
// Seen reports whether this is id's first sighting within ttl.
type deduper interface {
	Seen(ctx context.Context, id string, ttl time.Duration) (bool, error)
}

// maxRunning bounds the chats whose updates are handled at once.
const maxRunning = 64

// Timeouts of queued jobs: downloadsTimeout bounds fetching all the images
// of one turn, so a slow download can hold neither a slot nor its chat's
// queue for long; jobTimeout bounds a whole job, leaving time to submit
// the turn after the downloads.
const (
	downloadsTimeout = 2 * time.Minute
	jobTimeout       = downloadsTimeout + time.Minute
)

// Bot is a Telegram bot feeding the engine. Make it with New and start it
// with Run, once. Its methods are safe for concurrent use.
type Bot struct {
	cfg  Config
	api  *tgbotapi.BotAPI // never called directly: see call
	hc   *http.Client
	eng  engine
	seen deduper
	log  *slog.Logger
	id   botIdentity
	// notices are the texts the adapter words itself.
	notices bots.Notices

	allowedUsers, allowedChats, admins bots.AllowList[int64]

	refused *lruSet[string] // chats (and users) already told they may not use the bot
	updates *lruSet[int]    // webhook update ids handled recently

	queue  *keyqueue.Queues
	albums *albums
	// downloadsTimeout bounds one turn's downloads (tests shorten it).
	downloadsTimeout time.Duration

	started atomic.Bool
	ready   atomic.Bool
	// rich records that the Bot API server lacks rich messages.
	rich richSwitch

	// draining is set by Drain: updates are then left to Telegram.
	draining atomic.Bool

	// journal, if set (UseJournal), records accepted updates.
	journal *journal.Tracker

	mu          sync.Mutex
	webhookAddr string
}

// New connects to the Bot API at cfg.APIURL with token (calling getMe) and
// returns a Bot that feeds eng. hc sends every request (cmd configures its
// proxy, e.g. from HTTPS_PROXY); nil means http.DefaultClient. seen, which
// may be nil, de-duplicates webhook updates across replicas.
func New(token string, cfg Config, eng engine, hc *http.Client, seen deduper, log *slog.Logger) (*Bot, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(token, eng); err != nil {
		return nil, err
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	if log == nil {
		log = slog.Default()
	}
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	b := &Bot{
		cfg: cfg, hc: hc, eng: eng, seen: seen, notices: bots.NoticesFor(cfg.Language),
		log:          log,
		allowedUsers: bots.NewAllowList(cfg.AllowedUsers...),
		allowedChats: bots.NewAllowList(cfg.AllowedChats...),
		admins:       bots.NewAllowList(cfg.Admins...),
		refused:      newLRUSet[string](10_000),
		updates:      newLRUSet[int](10_000),
		queue:        keyqueue.New(maxRunning),

		downloadsTimeout: downloadsTimeout,
	}
	b.albums = newAlbums(cfg.Clock, b.onAlbum, b.dropAlbum)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.RequestTimeout)
	defer cancel()
	api, err := tgbotapi.NewBotAPIWithClient(token, endpointFormat(cfg.APIURL), ctxDoer{ctx: ctx, hc: hc})
	if err != nil {
		var te *tgbotapi.Error
		if errors.As(err, &te) {
			return nil, fmt.Errorf("get bot info: %w", apiErrorFrom("getMe", te))
		}
		return nil, fmt.Errorf("get bot info: %w", scrub(err, token))
	}
	b.api = api
	b.id = botIdentity{ID: api.Self.ID, Username: api.Self.UserName}
	return b, nil
}

// validate reports configuration New cannot work with.
func (c Config) validate(token string, eng engine) error {
	var errs []error
	if token == "" {
		errs = append(errs, errors.New("bot token is empty"))
	}
	if eng == nil {
		errs = append(errs, errors.New("engine is nil"))
	}
	switch c.Mode {
	case ModePolling:
	case ModeWebhook:
		if c.WebhookURL == "" || c.WebhookListen == "" {
			errs = append(errs, errors.New("webhook mode needs a webhook URL and listen address"))
		}
		if c.WebhookSecret == "" {
			errs = append(errs, errors.New("webhook mode needs a webhook secret"))
		}
	default:
		errs = append(errs, fmt.Errorf("unknown mode %q", c.Mode))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("configure telegram: %w", err)
	}
	return nil
}

// Username returns the bot's username (without '@').
func (b *Bot) Username() string { return b.id.Username }

// Ready reports whether the bot is receiving updates: polling succeeds, or
// the webhook is registered and served.
func (b *Bot) Ready() bool { return b.ready.Load() }

// Run receives updates (by long polling or webhook, per Config.Mode) and
// handles them until ctx is done, then stops receiving, waits for the
// handlers it started and returns nil. It registers the command menus
// first. It returns an error if receiving fails for good (e.g. the token
// was revoked). Run may be called once.
func (b *Bot) Run(ctx context.Context) error {
	if !b.started.CompareAndSwap(false, true) {
		return errors.New("run telegram bot: already started")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b.registerCommands(ctx)
	var keeping sync.WaitGroup
	if b.journal != nil {
		keeping.Go(func() { b.journal.Run(ctx, b.takeOver) })
	}
	defer keeping.Wait()
	var err error
	if b.cfg.Mode == ModeWebhook {
		err = b.serveWebhook(ctx)
	} else {
		err = b.poll(ctx)
	}
	b.ready.Store(false)
	cancel()
	b.albums.Wait()
	b.queue.Close()
	if err != nil {
		return fmt.Errorf("run telegram bot: %w", err)
	}
	return nil
}
