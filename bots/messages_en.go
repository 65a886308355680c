package bots

// enCatalog returns the English messages.
func enCatalog() catalog {
	return catalog{
		Tag:                 "en",
		Name:                "English",
		Placeholder:         "…",
		ThinkingPlaceholder: "💭 Thinking…",
		Empty:               "Send me a question or a photo.",
		Busy:                "I'm still working on your earlier messages. Please wait a moment and send this again.",
		TooFast:             "You're sending messages too quickly. Please wait a minute.",
		Restarting:          "The bot is restarting. Please send your message again in a minute.",
		PromptTooLong:       "Your message is too long (at most %d characters).",
		TooManyImages:       "Too many images (at most %d per message).",
		ImageTooBig:         "An image is too large (at most %d MB).",
		NotImage:            "I couldn't read that image. Please send a JPEG, PNG, WebP, GIF or BMP picture.",
		ImageUnsupported:    "That image format isn't supported. Please send a JPEG, PNG, WebP, GIF or BMP picture.",
		ImageTooLarge:       "That image is too large, even after shrinking it.",
		ImagesBusy:          "I'm busy with many images right now. Please send yours again shortly.",
		UserBudget:          "You've used up today's allowance. It resets at 00:00 UTC.",
		ChatBudget:          "This chat has used up today's allowance. It resets at 00:00 UTC.",
		Unsupported:         "I can read text, photos and videos only. Send the page as a photo, or type your question.",
		PhotoPrompt:         "Solve the problem in this image step by step.",
		Refused:             "Sorry, I can't help with that content.",
		ModelBusy:           "The model is busy right now. Please try again in a minute.",
		Misconfigured:       "The bot can't use its model because of a configuration problem. Please tell the bot's operator.",
		InputTooLong:        "This conversation is too long for the model. Send /reset to start over.",
		Unavailable:         "The model didn't answer. Please try again.",
		Generic:             "Something went wrong. Please try again.",
		Stopped:             "⏹ stopped",
		Truncated:           "✂️ the answer reached the length limit",
		EmptyAnswer:         "The model returned an empty answer.",
		Interrupted:         "⚠️ interrupted: %s",
		ReasonRestart:       "the bot is restarting",
		ReasonTimeout:       "the answer took too long",
		ReasonConnection:    "the connection to the model was lost",
		ReasonError:         "something went wrong",
		ReasonLockLost:      "another instance of the bot took over this chat",
		ReasonBusy:          "the model is busy; please try again shortly",
		Start:               "Hi! I'm a vision assistant: send me a question or a photo of a problem and I'll work through it.",
		ResetDone:           "🧹 History cleared. Let's start fresh.",
		ThinkOn:             "💭 Thinking is on in this chat.",
		ThinkOff:            "Thinking is off in this chat.",
		ThinkAlways:         "This model always thinks; thinking can't be turned off.",
		ThinkNever:          "This model can't think step by step; thinking stays off.",
		ThinkUsage:          "Usage: /think on or /think off",
		StopDone:            "⏹ Stopped.",
		StopNone:            "Nothing is running right now.",
		StopNotAsker:        "Only the person who asked or an admin can stop this answer.",
		AdminOnly:           "Only an admin can do that.",
		SystemShow:          "This chat's instructions:\n%s",
		SystemNone:          "This chat uses the default instructions.",
		SystemSet:           "Instructions updated.",
		SystemCleared:       "Instructions reset to the default.",
		SystemTooLong:       "Those instructions are too long (at most %d characters).",
		CommandFailed:       "Sorry, that didn't work. Please try again.",
		AnswerCapped:        "✂️ the answer was cut off: it reached the bot's length limit",
		UnknownCommand:      "Sorry, I don't know that command.",
		HelpPrivate: "Send a question, a photo, or both, and I'll answer. Every message here is a question; " +
			"an album of photos is one question. I answer in the language you write in.",
		HelpGroup: "In this group, mention me, reply to one of my answers, or use /ask " +
			"(also as a reply to a photo). Everyone here shares one conversation.",
		HelpDiscord: "Use /ask with your question (add an image with its image option), mention me, " +
			"or reply to one of my answers. You can also send me a DM.",
		HelpDiscordDM: "Every message here is a question, with or without images; /ask works too.",
		CommandsTelegram: "/reset – forget this chat's history (/new does the same)\n" +
			"/think [on|off] – show or switch step-by-step thinking\n" +
			"/stop – stop your current answer\n" +
			"/lang [en|zh|auto] – the language of my messages in this chat\n" +
			"/settings – this chat's settings\n" +
			"/system [text|reset] – set this chat's instructions (admins)\n" +
			"/help – this message",
		CommandsDiscord: "/ask – ask a question, optionally about images\n" +
			"/reset – forget this conversation\n" +
			"/think [on|off] – show or switch step-by-step thinking\n" +
			"/stop – stop your current answer\n" +
			"/lang [en|zh|auto] – the language of my messages here\n" +
			"/settings – this conversation's settings\n" +
			"/help – this message",
		SettingsTitle:    "Settings here:",
		SettingsModel:    "Model: %s",
		SettingsThinking: "Thinking: %s",
		SettingsLang:     "Language: %s",
		SettingsLangAuto: "Language: %s (from your app; /lang to choose)",
		On:               "on",
		Off:              "off",
		BudgetUser:       "Your tokens left today: %d of %d",
		BudgetChat:       "This chat's tokens left today: %d of %d",
		LangSet:          "OK: my messages in this chat are in %s now.",
		LangAuto:         "OK: my messages in this chat follow each user's app language now.",
		LangUsage:        "Usage: /lang en, /lang zh or /lang auto",

		// Videos.
		VideoOff:        "Videos are turned off for this bot. Please send photos instead.",
		VideoNoFFmpeg:   "I can't watch videos right now (the video tools are missing); the operator has been notified. Please send photos instead.",
		VideoModel:      "The current model can't watch videos. Please send photos instead.",
		VideoUnreadable: "I couldn't read that video. It may be damaged or in an unusual format.",
		VideoTimeout:    "That video took too long to read. Please send a shorter one.",
		VideoTooLong:    "That video is too long (the limit is %s).",
		VideoTooLarge:   "That video file is too large (the limit is %s).",
		VideoPrompt:     "Solve the problem shown in this video step by step, or explain what happens in it.",
	}
}
