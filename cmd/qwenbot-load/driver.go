package main

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Chat and user ids of the simulated chats.
const (
	privateBase = 2_000_000
	groupBase   = 1_000_000_000_000 // groups are -(groupBase + i), like supergroups
	imageChatID = 3_000_000
)

// simChat is one simulated chat: a private chat with its user, or a group
// in which its user addresses the bot with /ask.
type simChat struct {
	id    int64
	user  tgUser
	group bool
	bot   *tgBot
	// askers are the users of a group burst (user asks nothing then).
	askers []tgUser
	cur    atomic.Pointer[turnRec]
	// turns are appended by the chat's goroutine and read once it ended.
	turns []*turnRec

	mu         sync.Mutex
	byNumber   map[int]*turnRec // by turn number
	byQuestion map[int]*turnRec // by the question's message id
}

// world is the simulated outside of the bot: Telegram, DashScope and the
// users. It is built once and then driven once.
type world struct {
	opts      options
	now       func() time.Time
	tg        *fakeTG
	llm       *fakeLLM
	mainBot   *tgBot
	imageBot  *tgBot
	chats     map[int64]*simChat // every chat; fixed after newWorld
	list      []*simChat         // the main bot's chats
	imageChat *simChat
	images    imageMaker
}

// newWorld builds the chats and fakes for o.
func newWorld(o options, now func() time.Time) *world {
	w := &world{
		opts:     o,
		now:      now,
		mainBot:  newTGBot(mainToken, tgUser{ID: 1000001, IsBot: true, FirstName: "Qwen", Username: "qwen_load_bot"}, true),
		imageBot: newTGBot(imageToken, tgUser{ID: 1000002, IsBot: true, FirstName: "Qwen", Username: "qwen_load_image_bot"}, false),
		chats:    make(map[int64]*simChat),
		images:   imageMaker{width: o.ImageWidth, height: o.ImageHeight},
	}
	if o.Scenario == scenarioBurst {
		w.list = append(w.list, w.addBurstGroup(w.mainBot, o.Users))
	} else {
		groups := int(float64(o.Chats)*o.GroupFraction + 0.5)
		for i := range o.Chats {
			group := (i*groups)/o.Chats != ((i+1)*groups)/o.Chats // spread evenly
			w.list = append(w.list, w.addChat(w.mainBot, i, group))
		}
	}
	if o.ImageTurns > 0 {
		w.imageChat = &simChat{id: imageChatID, bot: w.imageBot,
			user: tgUser{ID: imageChatID, FirstName: "Photo", Username: "photo_student"}}
		w.imageBot.addChat(imageChatID, true)
		w.chats[imageChatID] = w.imageChat
	}
	w.tg = newFakeTG(now, o.TGRTT, w.onVisible, w.mainBot, w.imageBot)
	w.llm = &fakeLLM{now: now, lookup: w.lookup, profile: w.profile}
	return w
}

// addChat makes the i-th chat of b.
func (w *world) addChat(b *tgBot, i int, group bool) *simChat {
	user := tgUser{ID: int64(privateBase + i), FirstName: "Student", Username: "student" + strconv.Itoa(i)}
	c := &simChat{id: user.ID, user: user, group: group, bot: b}
	if group {
		c.id = -(groupBase + int64(i))
	}
	b.addChat(c.id, !group)
	w.chats[c.id] = c
	return c
}

// lookup returns the running record of turn n in chat, or nil.
func (w *world) lookup(chat int64, n int) *turnRec {
	c := w.chats[chat]
	if c == nil {
		return nil
	}
	return c.turnByNumber(n)
}

// profile is how the model answers in chat: the configured pace, and as
// fast as possible in the image conversation, which measures prompt size.
func (w *world) profile(chat int64) streamProfile {
	if chat == imageChatID {
		return streamProfile{answer: w.opts.AnswerTokens}
	}
	return streamProfile{
		firstToken: w.opts.FirstTokenDelay,
		perToken:   time.Duration(float64(time.Second) / w.opts.TokensPerSec),
		think:      w.opts.ThinkTokens,
		answer:     w.opts.AnswerTokens,
	}
}

// onVisible attributes a visible change to the turn it answers.
func (w *world) onVisible(b *tgBot, at time.Time, ev visibleEvent) {
	c := w.chats[ev.chat]
	if c == nil || c.bot != b {
		return
	}
	t := c.turnFor(ev.question)
	if t == nil {
		return
	}
	t.onVisible(at, readScreen(ev, t.answer))
}

// drive runs the load (a group burst: see driveBurst): every chat sends messages until Duration has
// passed, each after the previous answer arrived and a pause to think. It
// returns once every chat is done, or Drain after the load ended.
func (w *world) drive(ctx context.Context) worldResult {
	if w.opts.Scenario == scenarioBurst {
		return w.driveBurst(ctx)
	}
	start := w.now()
	loadEnd := start.Add(w.opts.Duration)
	ctx, cancel := context.WithDeadline(ctx, loadEnd.Add(w.opts.Drain))
	defer cancel()
	var wg sync.WaitGroup
	for i, c := range w.list {
		rng := rand.New(rand.NewPCG(uint64(w.opts.Seed), uint64(i)))
		wg.Go(func() { w.runChat(ctx, c, rng, loadEnd) })
	}
	wg.Wait()
	return w.collect(w.now().Sub(start))
}

// runChat sends c's messages: the first after a random part of the think
// time, each next one a think time after the previous final answer.
func (w *world) runChat(ctx context.Context, c *simChat, rng *rand.Rand, loadEnd time.Time) {
	pause := time.Duration(rng.Float64() * float64(w.opts.ThinkTime))
	for n := 1; ; n++ {
		next := w.now().Add(pause)
		if !next.Before(loadEnd) || !sleepCtx(ctx, pause) {
			return
		}
		m := w.textMessage(c, n)
		t := newTurn(c, n, w.opts.AnswerTokens)
		c.track(t, m.MessageID)
		t.markSent(w.now())
		if err := c.bot.push(m); err != nil {
			return
		}
		select {
		case <-t.done:
		case <-ctx.Done():
			return
		}
		pause = time.Duration((0.5 + rng.Float64()) * float64(w.opts.ThinkTime))
	}
}

// driveImage runs the image conversation: ImageTurns photos in a row,
// each once the previous answer arrived, for at most Drain.
func (w *world) driveImage(ctx context.Context) imageResult {
	if w.imageChat == nil {
		return imageResult{}
	}
	ctx, cancel := context.WithTimeout(ctx, w.opts.Drain)
	defer cancel()
	w.runImageChat(ctx, w.imageChat)
	return w.collectImage()
}

// runImageChat sends c's photos.
func (w *world) runImageChat(ctx context.Context, c *simChat) {
	for n := 1; n <= w.opts.ImageTurns && ctx.Err() == nil; n++ {
		m, err := w.photoMessage(c, n)
		if err != nil {
			return
		}
		t := newTurn(c, n, w.opts.AnswerTokens)
		c.track(t, m.MessageID)
		t.markSent(w.now())
		if err := c.bot.push(m); err != nil {
			return
		}
		select {
		case <-t.done:
		case <-ctx.Done():
			return
		}
	}
}
