package bots

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/qwenbot/qwenbot/bots/imaging"
	"github.com/qwenbot/qwenbot/bots/pace"
	"github.com/qwenbot/qwenbot/bots/video"
	"github.com/qwenbot/qwenbot/llm"
	"github.com/qwenbot/qwenbot/memory"
)

// Defaults for zero fields of Config.
const (
	DefaultLanguage       = "en"
	DefaultHistoryTurns   = 20
	DefaultHistoryImages  = 3
	DefaultHistoryTokens  = 6000
	DefaultMaxImages      = 6
	DefaultMaxImageBytes  = 20 << 20
	DefaultMaxPromptChars = 4000
	DefaultQueueSize      = 5
	DefaultMaxConcurrent  = 64
	DefaultTurnsPerChat   = 4
	DefaultTurnTimeout    = 10 * time.Minute
	DefaultLockTTL        = 30 * time.Second
	DefaultPlaceholder    = 1500 * time.Millisecond
	DefaultMaxAnswerChars = 16000
)

// Config tunes an Engine. Zero fields take the defaults above.
type Config struct {
	// SystemPrompt is the default system prompt; a chat's /system setting
	// overrides it.
	SystemPrompt string
	// PhotoPrompt is the prompt of a photo sent without text. Default: a
	// request to solve the problem in the image, in the chat's language.
	PhotoPrompt string
	// Language of the bot's own messages where neither the chat's /lang
	// setting nor the sender's app says: "en" (default) or "zh".
	Language string
	// Thinking is the thinking setting of chats that have none.
	Thinking bool
	// HistoryTurns is how many stored turns are sent with a new message.
	// Negative means none.
	HistoryTurns int
	// HistoryImages is how many of the newest history images are re-sent
	// as images (older ones become "[image]"); the new message's images
	// are always sent. Negative means none.
	HistoryImages int
	// HistoryTokens is the estimated prompt tokens the history may take
	// (texts, and the images re-sent); older turns beyond it are left out
	// of the prompt, not deleted, so a long chat's cost per turn stays
	// bounded. The new message is always sent. Negative means no budget.
	HistoryTokens int
	// MaxImages and MaxImageBytes limit the images of one turn (count, and
	// bytes of each as received); MaxPromptChars the length of its text in
	// characters.
	MaxImages      int
	MaxImageBytes  int64
	MaxPromptChars int
	// QueueSize is how many turns of one chat may wait behind the running
	// one; beyond it Submit answers that the bot is busy.
	QueueSize int
	// MaxConcurrent bounds the model calls in flight across all chats.
	MaxConcurrent int
	// MaxTurnsPerChat bounds the turns of one chat answered at once, on
	// this replica: different askers in a group are answered side by side,
	// each asker's turns one at a time, in order.
	MaxTurnsPerChat int
	// MaxAnswerChars caps an answer, and the reasoning shown before it, in
	// characters: the stream stops there, the reply ends with a note and
	// the capped answer is stored. Negative means no cap.
	MaxAnswerChars int
	// TurnTimeout bounds one turn from leaving its queue to its answer.
	TurnTimeout time.Duration
	// UserTurnsPerMin is the per-user rate limit (with a burst of as many);
	// 0 means no limit.
	UserTurnsPerMin int
	// DailyUserTokens and DailyChatTokens are daily token budgets (UTC
	// days) per user and per chat; 0 means no budget.
	DailyUserTokens, DailyChatTokens int64
	// Model request defaults, passed to llm.Request as they are.
	ThinkingBudget, MaxTokens int
	Temperature, TopP         *float64
	HighResolution            bool
	// MaxPixels is the pixel budget of each image: sent to the model and
	// used to shrink images before upload. 0 means the model's default.
	MaxPixels int
	// PlaceholderDelay is how long a reply shows only "typing…" while the
	// model has said nothing, before it shows a placeholder: a model that
	// answers sooner has its first text as the reply's first message.
	// Negative shows the placeholder at once.
	PlaceholderDelay time.Duration
	// Images bounds the memory of decoding images, shared with whatever
	// else the process decodes; default a Limiter of its own with the
	// imaging defaults.
	Images *imaging.Limiter
	// LockTTL is the lifetime of the lock per asker and chat that keeps
	// replicas from running one asker's turns at once; it is renewed while
	// a turn runs.
	LockTTL time.Duration
	// GlobalPerSecond is the per-bot budget of platform requests per
	// second shared by all chats of one platform, by platform: the prefix
	// of the chat key ("tg", "dc"). A platform missing or at 0 has no
	// budget. Replicas split it among them (Engine.ShareBudgets).
	GlobalPerSecond map[string]int
	// Video reads the frames of clips; nil turns video off (a clip then
	// gets a notice).
	Video *video.Extractor
	// VideoFramePixels is the pixel budget of a video frame; 0 means the
	// model's default (655,360 on Qwen3-VL), and it is kept within the
	// model's video range.
	VideoFramePixels int
	// Clock defaults to SystemClock.
	Clock Clock
	// Observer receives metrics events; default NopObserver.
	Observer Observer
}

// withDefaults returns c with zero fields set to the defaults.
func (c Config) withDefaults() Config {
	if c.Language == "" {
		c.Language = DefaultLanguage
	}
	c.HistoryTurns = orDefault(c.HistoryTurns, DefaultHistoryTurns)
	c.HistoryImages = orDefault(c.HistoryImages, DefaultHistoryImages)
	if c.HistoryTokens == 0 {
		c.HistoryTokens = DefaultHistoryTokens
	}
	c.MaxImages = orDefault(c.MaxImages, DefaultMaxImages)
	if c.Images == nil {
		c.Images = imaging.NewLimiter(0, 0)
	}
	c.MaxPromptChars = orDefault(c.MaxPromptChars, DefaultMaxPromptChars)
	c.QueueSize = orDefault(c.QueueSize, DefaultQueueSize)
	c.MaxConcurrent = orDefault(c.MaxConcurrent, DefaultMaxConcurrent)
	c.MaxAnswerChars = orDefault(c.MaxAnswerChars, DefaultMaxAnswerChars)
	if c.MaxTurnsPerChat <= 0 {
		c.MaxTurnsPerChat = DefaultTurnsPerChat
	}
	if c.MaxImageBytes <= 0 {
		c.MaxImageBytes = DefaultMaxImageBytes
	}
	if c.TurnTimeout <= 0 {
		c.TurnTimeout = DefaultTurnTimeout
	}
	if c.PlaceholderDelay == 0 {
		c.PlaceholderDelay = DefaultPlaceholder
	}
	if c.LockTTL <= 0 {
		c.LockTTL = DefaultLockTTL
	}
	if c.Clock == nil {
		c.Clock = SystemClock{}
	}
	if c.Observer == nil {
		c.Observer = NopObserver{}
	}
	c.GlobalPerSecond = maps.Clone(c.GlobalPerSecond)
	return c
}

// orDefault returns def for 0, 0 for negative values, else v.
func orDefault(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// streamer is the language model as the engine uses it; *llm.Client
// implements it.
type streamer interface {
	Stream(ctx context.Context, req llm.Request) (*llm.Stream, error)
	Model(name string) llm.ModelInfo
}

// history is the chat store as the engine uses it; *memory.Store and
// *memory.Embedded implement it.
type history interface {
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
}

// eventStream is an open model stream: *llm.Stream.
type eventStream interface {
	Recv() (llm.Event, error)
	Close() error
}

// openFunc starts a model stream.
type openFunc func(ctx context.Context, req llm.Request) (eventStream, error)

// Engine answers the turns of every chat of every platform: it queues them
// per chat, runs each asker's turns one at a time and up to
// MaxTurnsPerChat of a chat's turns at once (and at most MaxConcurrent
// model calls overall), streams each answer into its chat through a
// pace.Reply, and keeps the chat's history. Commands (/reset, /think, …) and the
// adapters' notices are answered in the background, through the same
// pacing gates. Create it with New and end it with Shutdown. All methods are
// safe for concurrent use.
type Engine struct {
	cfg    Config
	open   openFunc
	model  func(name string) llm.ModelInfo
	store  history
	log    *slog.Logger
	clock  Clock
	obs    Observer
	users  *userLimits
	budget budgets
	langs  *langCache   // chats' language settings, for Submit's refusals
	bursts *burstFilter // unsupported messages answered, by chat
	alerts *adminAlerts
	sem    chan struct{}
	base   context.Context
	cancel context.CancelCauseFunc
	drafts atomic.Int64 // the last draft id handed out
	// turnIDs is the random prefix of this engine's turn ids, so a Stop
	// button left over from an earlier process stops nothing.
	turnIDs string

	mu       sync.Mutex
	chats    map[string]*chatQueue
	closing  bool
	active   int           // goroutines running
	idle     chan struct{} // closed while active == 0
	noDrafts map[string]time.Time
	gates    map[string]*pace.Gates // by platform
	// budgets are the per-bot request budgets, by platform, shared by the
	// platform's gates; replicas is how many replicas share them
	// (ShareBudgets, which sets sharing).
	budgets  map[string]*pace.Budget
	replicas int
	sharing  bool
	notices  map[string][]notice // by chat: the one being sent, then those waiting
	turnSeq  uint64              // turns started
	// unsaved holds, by chat, the turns whose store failed, to store
	// before the chat's next turn; unsavedN counts them.
	unsaved  map[string][]unsavedTurn
	unsavedN int
	// orphans are locks to release once Redis answers again; bg runs
	// their releaser, which ends when the engine's context does.
	orphans []*orphanLock
	bg      sync.WaitGroup
	// farewell bounds telling queued turns to come back, once Shutdown
	// interrupts the engine.
	farewell context.Context
	// stopsDone is closed when the stop listener, started with the first
	// turn, has exited; nil until then.
	stopsDone chan struct{}
	// stopsReady is closed once the stop listener has subscribed (or
	// failed to, the first time); turns take their locks only after.
	stopsReady chan struct{}
}

// New returns an Engine answering with model and keeping history in store.
// It starts no goroutine until turns arrive.
func New(cfg Config, model streamer, store history, log *slog.Logger) *Engine {
	open := func(ctx context.Context, req llm.Request) (eventStream, error) {
		s, err := model.Stream(ctx, req)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	return newEngine(cfg, open, model.Model, store, log)
}

// newEngine is New with the model as functions, so benchmarks can fake the
// stream without HTTP.
func newEngine(cfg Config, open openFunc, model func(string) llm.ModelInfo, store history, log *slog.Logger) *Engine {
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.Default()
	}
	idle := make(chan struct{})
	close(idle)
	e := &Engine{
		cfg:      cfg,
		open:     open,
		model:    model,
		store:    store,
		log:      log,
		clock:    cfg.Clock,
		obs:      cfg.Observer,
		users:    newUserLimits(cfg.UserTurnsPerMin, cfg.Clock),
		budget:   budgets{store: store, user: cfg.DailyUserTokens, chat: cfg.DailyChatTokens, clock: cfg.Clock},
		langs:    newLangCache(),
		bursts:   newBurstFilter(unsupportedQuiet),
		alerts:   newAdminAlerts(cfg.Clock),
		sem:      make(chan struct{}, cfg.MaxConcurrent),
		chats:    make(map[string]*chatQueue),
		idle:     idle,
		noDrafts: make(map[string]time.Time),
		gates:    make(map[string]*pace.Gates),
		budgets:  make(map[string]*pace.Budget),
		replicas: 1,
		notices:  make(map[string][]notice),
		unsaved:  make(map[string][]unsavedTurn),
		turnIDs:  strconv.FormatUint(uint64(rand.Uint32()), 36),
	}
	for platform, n := range cfg.GlobalPerSecond {
		if n > 0 {
			e.budgets[platform] = pace.NewBudget(float64(n), n, e.clock)
		}
	}
	e.base, e.cancel = context.WithCancelCause(context.Background())
	e.drafts.Store(int64(rand.Int32N(1 << 30))) // ids stay in 32 bits
	return e
}

// Submit queues t to be answered after the earlier turns of its chat and
// returns at once; it never waits for a slow chat or the model. A turn that
// cannot be taken (empty, too long, too many or too large images, the user
// over the rate limit, the chat's queue full) is answered with a short
// explanation on t.Surface instead, and Submit returns nil: the adapter has
// nothing more to do. The daily token budgets need the store, so they are
// checked when the turn starts, and a turn over budget is answered the same
// way. A turn marked Unsupported is answered with what the bot can read,
// once per burst. Submit returns an error only for a turn without Chat or Surface, and
// ErrShuttingDown once Shutdown has begun.
func (e *Engine) Submit(ctx context.Context, t Turn) error {
	if t.Chat == "" || t.Surface == nil {
		return errors.New("submit turn: turn has no chat or surface")
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("submit turn: %w", err)
	}
	cat := catalogFor(e.langFor(t.Chat, t.Lang))
	if t.Unsupported {
		return e.unsupported(t, cat)
	}
	if text, reason := e.check(t, cat); text != "" {
		return e.reject(t, reason, text)
	}
	if !e.users.Allow(userKey(t.User, t.Chat, t.Sender.ID)) {
		return e.reject(t, RejectRate, cat.TooFast)
	}
	return e.enqueue(t, cat)
}

// check returns why t cannot be answered, or "".
func (e *Engine) check(t Turn, cat catalog) (text, reason string) {
	switch {
	case t.Text == "" && len(t.Images) == 0 && len(t.Videos) == 0:
		return cat.Empty, RejectInvalid
	case utf8.RuneCountInString(t.Text) > e.cfg.MaxPromptChars:
		return fmt.Sprintf(cat.PromptTooLong, e.cfg.MaxPromptChars), RejectInvalid
	case len(t.Images) > e.cfg.MaxImages:
		return fmt.Sprintf(cat.TooManyImages, e.cfg.MaxImages), RejectImages
	}
	for _, im := range t.Images {
		if int64(len(im.Data)) > e.cfg.MaxImageBytes {
			return fmt.Sprintf(cat.ImageTooBig, max(1, e.cfg.MaxImageBytes>>20)), RejectImages
		}
	}
	return "", ""
}

// userKey is the key of a sender for the rate limit: user, else the
// sender's id in chat.
func userKey(user, chat, sender string) string {
	if user != "" {
		return user
	}
	return chat + "/" + sender
}

// reject answers t with text instead of queueing it.
func (e *Engine) reject(t Turn, reason, text string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closing {
		return ErrShuttingDown
	}
	e.obs.TurnRejected(platformOf(t.Chat), reason)
	e.noticeLocked(t.notice(text))
	e.endedLocked(t)
	return nil
}

// gate returns the pacing gate of key (a pace key or chat key), from its
// platform's registry, whose gates share the platform's per-bot budget.
func (e *Engine) gate(key string, l Limits) *pace.Gate {
	platform := platformOf(key)
	e.mu.Lock()
	gs := e.gates[platform]
	if gs == nil {
		gs = pace.NewGates(e.budgets[platform], e.clock)
		e.gates[platform] = gs
	}
	e.mu.Unlock()
	return gs.Get(key, l)
}

// paceKey returns the key of the gate that paces chat: pace, else chat.
func paceKey(chat, pace string) string {
	if pace != "" {
		return pace
	}
	return chat
}
