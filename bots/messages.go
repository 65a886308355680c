package bots

import (
	"fmt"
	"strings"
)

// catalog holds the bot's own messages in one language. Every text is
// plain (no markup); the engine escapes it for the surface's format. Each
// language fills in every field (a test compares them), so adding a
// language is a new catalog function and a case in catalogByTag.
type catalog struct {
	// Tag is the language's code ("en") and Name its own name for it
	// ("English"), as /lang and /settings show it.
	Tag, Name string
	// Placeholder is shown as soon as a turn starts; ThinkingPlaceholder
	// when the model was asked to think.
	Placeholder, ThinkingPlaceholder string
	// Submit refusals.
	Empty, Busy, TooFast, Restarting          string
	PromptTooLong, TooManyImages, ImageTooBig string // with %d
	NotImage, ImageUnsupported, ImageTooLarge string
	ImagesBusy                                string
	UserBudget, ChatBudget                    string
	// Unsupported answers a message the bot cannot read (a sticker, voice
	// note, file that is not an image, location, poll).
	Unsupported string
	// PhotoPrompt is the question asked about images sent without text.
	PhotoPrompt string
	// Model and turn failures.
	Refused, ModelBusy, Misconfigured, InputTooLong, Unavailable, Generic string
	// Notes at the end of a reply.
	Stopped, Truncated, EmptyAnswer, Interrupted                string // Interrupted with %s
	ReasonRestart, ReasonTimeout, ReasonConnection, ReasonError string
	ReasonLockLost, ReasonBusy                                  string
	// Commands.
	Start, ResetDone, ThinkOn, ThinkOff, ThinkAlways, ThinkNever      string
	ThinkUsage, StopDone, StopNone, AdminOnly, SystemShow, SystemNone string
	SystemSet, SystemCleared, SystemTooLong, CommandFailed            string
	UnknownCommand, StopNotAsker                                      string
	// Help: how to use the bot in each kind of chat, then the commands of
	// each platform.
	HelpPrivate, HelpGroup, HelpDiscord, HelpDiscordDM string
	CommandsTelegram, CommandsDiscord                  string
	// Settings: the title, then model, thinking and language lines (%s),
	// the words for thinking, and today's token budgets (%d left of %d).
	SettingsTitle, SettingsModel, SettingsThinking string
	SettingsLang, SettingsLangAuto                 string
	On, Off                                        string
	BudgetUser, BudgetChat                         string
	// Language: /lang set (%s: the language's name), back to automatic,
	// and its usage.
	LangSet, LangAuto, LangUsage string
	// AnswerCapped ends a reply whose answer reached Config.MaxAnswerChars.
	AnswerCapped string

	// Videos: VideoTooLong and VideoTooLarge with the limit (%s);
	// VideoPrompt is the prompt of clips sent without text.
	VideoOff, VideoNoFFmpeg, VideoModel, VideoUnreadable, VideoTimeout string
	VideoTooLong, VideoTooLarge, VideoPrompt                           string
}

// catalogFor returns the messages of lang (a language tag such as "en",
// "zh" or "zh-TW"); a language without a catalog means English.
func catalogFor(lang string) catalog {
	if c, ok := catalogByTag(baseLang(lang)); ok {
		return c
	}
	return enCatalog()
}

// catalogByTag returns the catalog of a base language tag.
func catalogByTag(tag string) (catalog, bool) {
	switch tag {
	case "en":
		return enCatalog(), true
	case "zh":
		return zhCatalog(), true
	}
	return catalog{}, false
}

// PhotoPrompt returns the built-in question about a photo sent without
// text, in lang.
func PhotoPrompt(lang string) string { return catalogFor(lang).PhotoPrompt }

// VideoPrompt returns the default prompt of clips sent without text in
// lang, for adapters that must fill in a prompt themselves.
func VideoPrompt(lang string) string { return catalogFor(lang).VideoPrompt }

// Languages returns the tags of the languages the bot speaks, the default
// first.
func Languages() []string { return []string{"en", "zh"} }

// baseLang returns the primary subtag of a language tag, lowercase: "zh"
// for "zh-hans" or "zh_TW".
func baseLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// isChinese reports whether lang names Chinese ("zh", "zh-CN", …).
func isChinese(lang string) bool { return baseLang(lang) == "zh" }

// chatLang returns the language a chat is answered in: its setting, else
// the language of the user's app (English when the bot does not speak
// it), else def, the configured default.
func chatLang(setting, user, def string) string {
	if _, ok := catalogByTag(baseLang(setting)); ok {
		return baseLang(setting)
	}
	if user == "" {
		user = def
	}
	if _, ok := catalogByTag(baseLang(user)); ok {
		return baseLang(user)
	}
	return "en"
}

// interrupted returns the note of a reply cut short for reason.
func (c catalog) interrupted(reason string) string {
	return fmt.Sprintf(c.Interrupted, reason)
}
