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
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/qwenbot/qwenbot/bots"
	"github.com/qwenbot/qwenbot/bots/journal"
	"github.com/qwenbot/qwenbot/bots/keyqueue"
	"github.com/qwenbot/qwenbot/bots/render"
)

// maxLen is Discord's limit on a message's content, in characters.
const maxLen = 2000

// countText measures text as Discord counts its length limit.
func countText(s string) int { return render.Count(render.DiscordMarkdown, s) }

// maxInFlight bounds the queued jobs (downloads, submitting) running at
// once across all channels. Answering an interaction within Discord's 3
// seconds is never held back by it.
const maxInFlight = 64

// Timeouts of queued jobs: downloadsTimeout bounds fetching all the images
// of one turn, so a slow download can hold neither a slot nor its
// channel's queue for long; jobTimeout bounds a whole job, leaving time to
// submit the turn after the downloads.
const (
	downloadsTimeout = 2 * time.Minute
	jobTimeout       = downloadsTimeout + time.Minute
)

// engine is the conversation engine as the adapter uses it; *bots.Engine
// implements it.
type engine interface {
	Submit(ctx context.Context, t bots.Turn) error
	Command(ctx context.Context, c bots.Command) error
	Notify(ctx context.Context, chat, paceKey string, s bots.Surface, replyTo bots.MessageRef, text string)
	StopTurn(chat, id string, by bots.Presser) (bool, error)
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
	recent *recentIDs // interaction and message ids handled recently
	seen   deduper    // the same, shared with other runs; nil when not shared
	// targets are the messages "Explain this" waits to explain.
	targets *targets
	limits  bots.Limits
	// notices are the texts the adapter words itself.
	notices bots.Notices

	selfMu sync.RWMutex
	self   string // the bot's user id, from the gateway's Ready

	registered, connected, listening atomic.Bool
	// dropped is signalled when the gateway connection drops.
	dropped chan struct{}
	addr    atomic.Value // string: the endpoint's bound address

	// started is closed once Run has started everything.
	started chan struct{}
	// life is cancelled when Run ends; handler work runs under it.
	life   context.Context
	cancel context.CancelFunc
	// queue runs each channel's jobs in arrival order.
	queue *keyqueue.Queues
	// downloadsTimeout bounds one turn's downloads (tests shorten it).
	downloadsTimeout time.Duration
	// journal, if set (UseJournal), records accepted updates.
	journal *journal.Tracker

	mu       sync.Mutex
	closed   bool
	acks     sync.WaitGroup // goroutines answering interactions
	watchers sync.WaitGroup // goroutines guarding deferred responses
}

// New returns a Bot using token (without the "Bot " prefix) and cfg,
// handing turns to eng. hc makes every request (REST, through cfg.APIURL,
// and attachment downloads); nil means http.DefaultClient. seen, which
// may be nil, de-duplicates interactions and messages across restarts and
// replicas (memory.Store's Seen). log is used as given (the caller scopes
// it); nil means slog.Default(). New makes no request.
func New(token string, cfg Config, eng engine, hc *http.Client, seen deduper, log *slog.Logger) (*Bot, error) {
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
		policy: newPolicy(cfg), pubKey: key, recent: newRecentIDs(cfg.Clock), seen: seen, notices: bots.NoticesFor(cfg.Language),
		limits: bots.Limits{MaxLen: maxLen, Count: countText, Format: bots.FormatMarkdown, EditInterval: cfg.EditInterval,
			PerSecond: channelPerSecond, Burst: channelBurst},
		queue: keyqueue.New(maxInFlight), downloadsTimeout: downloadsTimeout, started: make(chan struct{}),
		dropped: make(chan struct{}, 1),
	}
	b.targets = newTargets(sess, cfg.Clock)
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
	// Run reconnects (keepConnected), so that a refusal ends it.
	sess.ShouldReconnectOnError = false
	// Handlers run in the gateway's order (they only queue work), so a
	// channel's messages are handled in the order they were sent.
	sess.SyncEvents = true
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

// enqueue queues job after the earlier jobs of key (a channel's chat key)
// and reports whether it was taken. The job runs with a context cancelled
// when Run ends or jobTimeout has passed. After Run has ended, or when the
// channel's queue is full, it drops the job and returns false.
func (b *Bot) enqueue(key string, job func(ctx context.Context)) bool {
	return b.queue.Go(key, func() {
		ctx, cancel := context.WithTimeout(b.life, jobTimeout)
		defer cancel()
		job(ctx)
	})
}

// goOwned runs fn in a goroutine counted in wg, which Run waits for,
// outside the limit on queued jobs (so, with wg acks, an interaction is
// answered in time however busy the bot is). fn must return once b.life
// ends. After Run has ended goOwned does nothing and returns false.
func (b *Bot) goOwned(wg *sync.WaitGroup, fn func()) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		fn()
	}()
	return true
}

// wait blocks until the interactions answered so far are answered and
// every channel's queued jobs have run. It is meant for tests: handlers may
// queue new work right after.
func (b *Bot) wait() {
	b.acks.Wait()
	b.queue.Wait()
}

// drain stops new handler work, cancels the running work and waits for it.
func (b *Bot) drain() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cancel()
	b.acks.Wait()
	b.queue.Close()
	b.watchers.Wait()
}
