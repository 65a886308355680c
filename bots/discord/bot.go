package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/render"
)

// maxLen is Discord's limit on a message's content, in characters.
const maxLen = 2000

// countText measures text as Discord counts its length limit.
func countText(s string) int { return render.Count(render.DiscordMarkdown, s) }

// maxInFlight bounds the event handlers running at once.
const maxInFlight = 64

// engine is the conversation engine as the adapter uses it; *bots.Engine
// implements it.
type engine interface {
	Submit(ctx context.Context, t bots.Turn) error
	Command(ctx context.Context, c bots.Command) error
	Stop(chat string) bool
}

// Bot is the Discord adapter: it turns gateway events and HTTP
// interactions into engine turns and commands. Create it with New, start it
// with Run (once). Its methods are safe for concurrent use.
type Bot struct {
	cfg    Config
	eng    engine
	hc     *http.Client // downloads
	log    *slog.Logger
	sess   *discordgo.Session
	policy policy
	pubKey ed25519.PublicKey
	limits bots.Limits
	// notices are the texts the adapter words itself.
	notices bots.Notices

	selfMu sync.RWMutex
	self   string // the bot's user id, from the gateway's Ready

	registered, connected, listening atomic.Bool
	addr                             atomic.Value // string: the endpoint's bound address

	// started is closed once Run has started everything.
	started chan struct{}
	// life is cancelled when Run ends; handler work runs under it.
	life   context.Context
	cancel context.CancelFunc
	slots  chan struct{}
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// New returns a Bot using token (without the "Bot " prefix) and cfg,
// handing turns to eng. hc makes every request (REST, through cfg.APIURL,
// and attachment downloads); nil means http.DefaultClient. log is used as
// given (the caller scopes it); nil means slog.Default(). New makes no
// request.
func New(token string, cfg Config, eng engine, hc *http.Client, log *slog.Logger) (*Bot, error) {
	token = strings.TrimSpace(strings.TrimPrefix(token, "Bot "))
	if token == "" {
		return nil, errors.New("new discord bot: empty token")
	}
	if eng == nil {
		return nil, errors.New("new discord bot: nil engine")
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	if log == nil {
		log = slog.Default()
	}
	cfg = cfg.withDefaults()
	key, err := cfg.publicKey()
	if err != nil {
		return nil, fmt.Errorf("new discord bot: %w", err)
	}
	sess, err := newSession(token, cfg, hc, log)
	if err != nil {
		return nil, fmt.Errorf("new discord bot: %w", err)
	}
	b := &Bot{
		cfg: cfg, eng: eng, hc: hc, log: log, sess: sess,
		policy: newPolicy(cfg), pubKey: key, notices: bots.NoticesFor(cfg.Language),
		limits: bots.Limits{MaxLen: maxLen, Count: countText, Format: bots.FormatMarkdown, EditInterval: cfg.EditInterval},
		slots:  make(chan struct{}, maxInFlight), started: make(chan struct{}),
	}
	b.life, b.cancel = context.WithCancel(context.Background())
	return b, nil
}

// newSession builds the discordgo session: REST through hc rewritten to
// cfg.APIURL, no internal sleeping on 429 (the pacer decides), and the
// minimal gateway intents.
func newSession(token string, cfg Config, hc *http.Client, log *slog.Logger) (*discordgo.Session, error) {
	sess, err := discordgo.New("Bot " + token)
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	if sess.Client, err = restClient(hc, cfg.APIURL); err != nil {
		return nil, err
	}
	sess.ShouldRetryOnRateLimit = false
	sess.LogLevel = discordgo.LogWarning
	if log.Enabled(context.Background(), slog.LevelDebug) {
		sess.LogLevel = discordgo.LogInformational
	}
	sess.Identify.Intents = intents(cfg.MessageContent)
	if cfg.ShardCount > 0 {
		sess.ShardID, sess.ShardCount = cfg.ShardID, cfg.ShardCount
	}
	sess.State.TrackPresences = false
	sess.State.TrackVoice = false
	return sess, nil
}

// intents are the gateway intents the adapter needs: guilds (channels and
// threads, for allow-lists), guild and direct messages, and message
// content only when configured.
func intents(messageContent bool) discordgo.Intent {
	in := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if messageContent {
		in |= discordgo.IntentsMessageContent
	}
	return in
}

// Ready reports whether the bot is serving: commands registered, the
// gateway connected (when enabled) and the interactions endpoint listening
// (when enabled).
func (b *Bot) Ready() bool {
	return b.registered.Load() &&
		(!b.cfg.Gateway || b.connected.Load()) &&
		(b.cfg.InteractionsListen == "" || b.listening.Load())
}

// InteractionsAddr returns the address the interactions endpoint listens
// on once Run has started it (useful with port 0), or "".
func (b *Bot) InteractionsAddr() string {
	a, _ := b.addr.Load().(string)
	return a
}

// selfID returns the bot's user id, or "" before the gateway's Ready.
func (b *Bot) selfID() string {
	b.selfMu.RLock()
	defer b.selfMu.RUnlock()
	return b.self
}

// setSelf records the bot's user id.
func (b *Bot) setSelf(id string) {
	b.selfMu.Lock()
	b.self = id
	b.selfMu.Unlock()
}

// spawn runs fn in a goroutine that Run waits for before it returns, with
// a context cancelled when Run ends. At most maxInFlight run at once; spawn
// blocks for a free slot. After Run has ended it does nothing and returns
// false.
func (b *Bot) spawn(fn func(ctx context.Context)) bool {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return false
	}
	b.wg.Add(1)
	b.mu.Unlock()
	select {
	case b.slots <- struct{}{}:
	case <-b.life.Done():
		b.wg.Done()
		return false
	}
	go func() {
		defer b.wg.Done()
		defer func() { <-b.slots }()
		fn(b.life)
	}()
	return true
}

// drain stops new handler work, cancels the running work and waits for it.
func (b *Bot) drain() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cancel()
	b.wg.Wait()
}
