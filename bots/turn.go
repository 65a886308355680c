package bots

// Sender is who sent a turn.
type Sender struct {
	// ID is the platform user id, as a string.
	ID string
	// Name is the display name shown to the model in group chats.
	Name string
	// Admin marks operators allowed to run admin commands.
	Admin bool
}

// Upload is an image as received from the platform, before the image
// pipeline checks and shrinks it.
type Upload struct {
	Data []byte
	// MIME is the type the platform declared; content sniffing decides.
	MIME string
}

// Turn is one user message to answer. Adapters build it from a platform
// event and hand it to the Engine.
type Turn struct {
	// Chat is the history key: platform, chat and thread, e.g.
	// "tg:-1001234:42" or "dc:9876". Turns of one sender in a Chat run one
	// at a time, in order; several senders' turns may run at once.
	Chat string
	// PaceKey keys the pacing gate the reply's requests go through, when
	// the platform's rate limits span several chats: Telegram limits a
	// group, "tg:<chat_id>", across all its forum topics. Empty means Chat.
	PaceKey string
	// User is a stable key of the sender for rate limits and budgets, e.g.
	// "tg:1234".
	User   string
	Sender Sender
	// Group is true in shared chats: user turns are labelled with the
	// sender's name in history.
	Group bool
	// Text is the user's prompt, without the bot's mention or command.
	Text string
	// Images are the pictures sent with (or replied to by) the message.
	Images []Upload
	// Videos are the clips (videos, video notes, animations, GIFs) sent
	// with (or replied to by) the message; the model sees their frames.
	Videos []Upload
	// Surface is where the reply appears.
	Surface Surface
	// ReplyTo is the triggering message; the answer replies to it.
	ReplyTo MessageRef
	// Think overrides the chat's thinking setting for this turn.
	Think *bool
	// Lang is the language of the sender's app (Telegram's language_code,
	// Discord's locale), or "": the bot's messages use it unless the chat
	// chose a language with /lang.
	Lang string
	// Unsupported marks a message the bot cannot read (a sticker, voice
	// note, file that is not an image, location, poll): it never reaches
	// the model; the sender is told once per burst what the bot reads.
	Unsupported bool
	// Ended, if set, is called once when the engine is done with the
	// turn: its reply ended (answered, or visibly cut short), it was
	// turned away with a notice, or it was told to send its message again
	// at shutdown. It is not called when Submit returns an error. It may
	// make a store round trip: the engine calls it from a goroutine that
	// Shutdown waits for.
	Ended func()
	// Resumable reports that the adapter journaled the turn, so that
	// another process answers it if this one does not: a turn still
	// queued at shutdown is then left to it (no notice, no Ended) instead
	// of being told to come back.
	Resumable bool
}

// CommandName names a command shared by every platform.
type CommandName string

// Commands every platform offers.
const (
	CmdStart  CommandName = "start"
	CmdHelp   CommandName = "help"
	CmdReset  CommandName = "reset" // alias "new"
	CmdThink  CommandName = "think" // args: "", "on", "off"
	CmdStop   CommandName = "stop"
	CmdSystem CommandName = "system" // admin: set ("" shows, "reset" clears) the chat's system prompt
	// CmdLang shows or sets the language of the bot's messages in the
	// chat: "en", "zh", or "auto" (each sender's app language).
	CmdLang CommandName = "lang"
	// CmdSettings shows the chat's settings and what is left of today's
	// token budgets.
	CmdSettings CommandName = "settings"
)

// Command is a bot command other than a question. The Engine answers it on
// Surface.
type Command struct {
	Name CommandName
	Args string
	Chat string
	// PaceKey keys the pacing gate of the answer, as in Turn; empty means
	// Chat.
	PaceKey string
	User    string
	Sender  Sender
	Surface Surface
	ReplyTo MessageRef
	// Group is true in shared chats (Telegram groups, Discord guild
	// channels): the help says how to address the bot there.
	Group bool
	// Lang is the language of the sender's app, as in Turn.
	Lang string
}
