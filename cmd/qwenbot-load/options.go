package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qwenbot/qwenbot/bots/telegram"
)

// Bounds on the flags, so a run is bounded in count and time.
const (
	maxChats      = 100_000
	maxDuration   = time.Hour
	maxDrain      = 10 * time.Minute
	maxImageTurns = 200
	maxBurstUsers = 1000
)

// options configure one load run. They travel as JSON to the world
// process, so every field is exported and plain.
type options struct {
	Chats           int           `json:"chats"`
	Duration        time.Duration `json:"duration"`
	Drain           time.Duration `json:"drain"`
	GroupFraction   float64       `json:"group_fraction"`
	ThinkTime       time.Duration `json:"think_time"`
	TokensPerSec    float64       `json:"tokens_per_sec"`
	ThinkTokens     int           `json:"think_tokens"`
	FirstTokenDelay time.Duration `json:"first_token_delay"`
	AnswerTokens    int           `json:"answer_tokens"`
	TGRTT           time.Duration `json:"tg_rtt"`
	ImageTurns      int           `json:"image_turns"`
	ImageWidth      int           `json:"image_width"`
	ImageHeight     int           `json:"image_height"`
	Policy          policy        `json:"policy"`
	// RichMessages is the adapter's telegram.rich_messages: auto (the
	// bot's default), on or off.
	RichMessages  string   `json:"rich_messages"`
	MaxConcurrent int      `json:"max_concurrent"`
	Seed          int64    `json:"seed"`
	Scenario      scenario `json:"scenario"`
	// Users is the askers of the group-burst scenario.
	Users int `json:"users"`
	// PerChat is the bot's most turns at once per chat, as the targets
	// assume it (see engineConfig).
	PerChat int `json:"per_chat"`

	// Bot-side only.
	JSONOnly  bool   `json:"-"`
	InProcess bool   `json:"-"`
	RedisURL  string `json:"-"`
	Store     string `json:"-"`
	LogLevel  string `json:"-"`
	// HeapProfile receives a heap profile at the peak of streams in flight.
	HeapProfile string `json:"-"`
	// CPUProfile receives a CPU profile of the bot process over the load.
	CPUProfile string `json:"-"`
}

// defaultOptions are the flags' defaults: 1,000 chats for 60 s, each
// asking about once per 15 minutes, which is about 1.1 questions/s. At
// about 10 Bot API requests per streamed reply that is about 11 requests/s,
// well within the bot's budget of 25/s (Telegram allows 30). A shorter
// --think-time (15s: about 27 questions/s) overloads the bot on purpose.
func defaultOptions() options {
	return options{
		Chats:           1000,
		Duration:        60 * time.Second,
		Drain:           90 * time.Second,
		GroupFraction:   0.3,
		ThinkTime:       15 * time.Minute,
		TokensPerSec:    40,
		ThinkTokens:     100,
		FirstTokenDelay: 800 * time.Millisecond,
		AnswerTokens:    300,
		TGRTT:           50 * time.Millisecond,
		ImageTurns:      50,
		ImageWidth:      1280,
		ImageHeight:     960,
		Policy:          policyOurs,
		RichMessages:    telegram.RichAuto,
		Seed:            1,
		Scenario:        scenarioMixed,
		Users:           6,
		PerChat:         defaultPerChat,
		Store:           "redis",
		LogLevel:        "error",
	}
}

// parseOptions parses the command line.
func parseOptions(args []string, getenv func(string) string, stderr io.Writer) (options, error) {
	o := defaultOptions()
	fs := flag.NewFlagSet("qwenbot-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.Chats, "chats", o.Chats, "simulated chats")
	fs.DurationVar(&o.Duration, "duration", o.Duration, "how long chats keep sending messages")
	fs.DurationVar(&o.Drain, "drain", o.Drain, "how long to wait for outstanding replies after the load")
	fs.Float64Var(&o.GroupFraction, "group-fraction", o.GroupFraction, "fraction of chats that are groups")
	fs.DurationVar(&o.ThinkTime, "think-time", o.ThinkTime, "mean pause of a user between a final answer and the next message")
	fs.Float64Var(&o.TokensPerSec, "tokens-per-sec", o.TokensPerSec, "model output speed")
	fs.IntVar(&o.ThinkTokens, "think-tokens", o.ThinkTokens, "reasoning tokens before the answer (0: thinking off; group-burst defaults to 0, the issue's case)")
	fs.DurationVar(&o.FirstTokenDelay, "first-token-delay", o.FirstTokenDelay, "model latency before the first token")
	fs.IntVar(&o.AnswerTokens, "answer-tokens", o.AnswerTokens, "answer length in tokens")
	fs.DurationVar(&o.TGRTT, "tg-rtt", o.TGRTT, "simulated round trip to the Bot API")
	fs.IntVar(&o.ImageTurns, "image-turns", o.ImageTurns, "turns of the long image conversation (0: none)")
	fs.Func("image-size", "size of the image sent each turn, WxH (default 1280x960)", func(s string) error {
		w, h, err := parseSize(s)
		o.ImageWidth, o.ImageHeight = w, h
		return err
	})
	fs.Func("policy", "pacing policy: ours, every-n-chars or fixed-1s", func(s string) error {
		p, err := parsePolicy(s)
		o.Policy = p
		return err
	})
	fs.StringVar(&o.RichMessages, "rich-messages", o.RichMessages, "replies as rich messages (Bot API 10.1): auto (the bot's default), on or off (HTML)")
	fs.Func("scenario", "load: mixed (private chats and groups) or group-burst (--users askers in one group at once; ends when every final is on screen, or after --drain)", func(s string) error {
		sc, err := parseScenario(s)
		o.Scenario = sc
		return err
	})
	fs.IntVar(&o.Users, "users", o.Users, "askers of the group-burst scenario")
	fs.IntVar(&o.PerChat, "per-chat", o.PerChat, "the bot's most turns at once per chat, which the group-burst target assumes")
	fs.IntVar(&o.MaxConcurrent, "max-concurrent", o.MaxConcurrent, "model calls in flight (0: one per chat)")
	fs.Int64Var(&o.Seed, "seed", o.Seed, "random seed of the simulated users")
	fs.BoolVar(&o.JSONOnly, "json-only", o.JSONOnly, "print only the JSON line")
	fs.BoolVar(&o.InProcess, "in-process", o.InProcess, "run the fakes in this process (CPU and RSS then include them)")
	fs.StringVar(&o.Store, "store", o.Store, "history store: redis or embedded")
	fs.StringVar(&o.HeapProfile, "heap-profile", o.HeapProfile, "write a heap profile of the bot at the peak of streams in flight to this file")
	fs.StringVar(&o.CPUProfile, "cpu-profile", o.CPUProfile, "write a CPU profile of the bot process over the load to this file")
	fs.StringVar(&o.LogLevel, "log-level", o.LogLevel, "bot log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	o.applyScenario(setFlags(fs))
	o.RedisURL = redisURL(getenv)
	return o, o.validate()
}

// redisURL is REDIS_URL, else redis://REDIS_ADDR, else the local default.
func redisURL(getenv func(string) string) string {
	if u := getenv("REDIS_URL"); u != "" {
		return u
	}
	if a := getenv("REDIS_ADDR"); a != "" {
		return "redis://" + a
	}
	return "redis://127.0.0.1:6379"
}

// validate lists every out-of-range option at once.
func (o options) validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(o.Chats >= 1 && o.Chats <= maxChats, "--chats must be in [1, %d]", maxChats)
	check(o.Duration > 0 && o.Duration <= maxDuration, "--duration must be in (0, %s]", maxDuration)
	check(o.Drain > 0 && o.Drain <= maxDrain, "--drain must be in (0, %s]", maxDrain)
	check(o.GroupFraction >= 0 && o.GroupFraction <= 1, "--group-fraction must be in [0, 1]")
	check(o.ThinkTime >= 0 && o.ThinkTime <= maxDuration, "--think-time must be in [0, %s]", maxDuration)
	check(o.TokensPerSec >= 1 && o.TokensPerSec <= 100_000, "--tokens-per-sec must be in [1, 100000]")
	check(o.ThinkTokens >= 0 && o.ThinkTokens <= 10_000, "--think-tokens must be in [0, 10000]")
	check(o.AnswerTokens >= 1 && o.AnswerTokens <= 10_000, "--answer-tokens must be in [1, 10000]")
	check(o.FirstTokenDelay >= 0 && o.FirstTokenDelay <= time.Minute, "--first-token-delay must be in [0, 1m]")
	check(o.TGRTT >= 0 && o.TGRTT <= 5*time.Second, "--tg-rtt must be in [0, 5s]")
	check(o.ImageTurns >= 0 && o.ImageTurns <= maxImageTurns, "--image-turns must be in [0, %d]", maxImageTurns)
	check(o.ImageWidth >= 32 && o.ImageHeight >= 32 && o.ImageWidth*o.ImageHeight <= 16_000_000,
		"--image-size must be at least 32x32 and at most 16 megapixels")
	check(o.MaxConcurrent >= 0 && o.MaxConcurrent <= maxChats, "--max-concurrent must be in [0, %d]", maxChats)
	check(o.Users >= 1 && o.Users <= maxBurstUsers, "--users must be in [1, %d]", maxBurstUsers)
	check(o.PerChat >= 1 && o.PerChat <= maxBurstUsers, "--per-chat must be in [1, %d]", maxBurstUsers)
	check(o.Store == "redis" || o.Store == "embedded", "--store must be redis or embedded")
	check(o.RichMessages == telegram.RichAuto || o.RichMessages == telegram.RichOn || o.RichMessages == telegram.RichOff,
		"--rich-messages must be auto, on or off")
	check(validLevel(o.LogLevel), "--log-level must be debug, info, warn or error")
	if o.Store == "redis" {
		if err := loopbackRedis(o.RedisURL); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// validLevel reports whether s names a slog level.
func validLevel(s string) bool {
	switch s {
	case "debug", "info", "warn", "error":
		return true
	}
	return false
}

// parseSize parses "WxH".
func parseSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(s, "x")
	w, werr := strconv.Atoi(ws)
	h, herr := strconv.Atoi(hs)
	if !ok || werr != nil || herr != nil {
		return 0, 0, fmt.Errorf("image size %q is not WxH", s)
	}
	return w, h, nil
}

// commandLine renders the options as the flags that reproduce the run.
func (o options) commandLine() string {
	d := defaultOptions()
	d.Scenario = o.Scenario
	d.applyScenario(nil) // the scenario's own defaults need no flags
	parts := []string{"go run ./cmd/qwenbot-load"}
	add := func(changed bool, flag string, v any) {
		if changed {
			parts = append(parts, fmt.Sprintf("--%s=%v", flag, v))
		}
	}
	add(o.Chats != d.Chats, "chats", o.Chats)
	add(o.Duration != d.Duration, "duration", o.Duration)
	add(o.Drain != d.Drain, "drain", o.Drain)
	add(o.GroupFraction != d.GroupFraction, "group-fraction", o.GroupFraction)
	add(o.ThinkTime != d.ThinkTime, "think-time", o.ThinkTime)
	add(o.TokensPerSec != d.TokensPerSec, "tokens-per-sec", o.TokensPerSec)
	add(o.ThinkTokens != d.ThinkTokens, "think-tokens", o.ThinkTokens)
	add(o.FirstTokenDelay != d.FirstTokenDelay, "first-token-delay", o.FirstTokenDelay)
	add(o.AnswerTokens != d.AnswerTokens, "answer-tokens", o.AnswerTokens)
	add(o.TGRTT != d.TGRTT, "tg-rtt", o.TGRTT)
	add(o.ImageTurns != d.ImageTurns, "image-turns", o.ImageTurns)
	add(o.ImageWidth != d.ImageWidth || o.ImageHeight != d.ImageHeight, "image-size",
		fmt.Sprintf("%dx%d", o.ImageWidth, o.ImageHeight))
	add(o.Policy != d.Policy, "policy", o.Policy)
	add(o.RichMessages != d.RichMessages, "rich-messages", o.RichMessages)
	add(o.MaxConcurrent != d.MaxConcurrent, "max-concurrent", o.MaxConcurrent)
	add(o.Seed != d.Seed, "seed", o.Seed)
	add(o.Scenario != scenarioMixed, "scenario", o.Scenario)
	add(o.Scenario == scenarioBurst && o.Users != d.Users, "users", o.Users)
	add(o.PerChat != d.PerChat, "per-chat", o.PerChat)
	add(o.InProcess, "in-process", true)
	add(o.Store != d.Store, "store", o.Store)
	return strings.Join(parts, " ")
}
