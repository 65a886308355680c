package bots

import (
	"fmt"
	"strings"
)

// catalog holds the bot's own messages in one language. Every text is
// plain (no markup); the engine escapes it for the surface's format.
type catalog struct {
	// Placeholder is shown as soon as a turn starts; ThinkingPlaceholder
	// when the model was asked to think.
	Placeholder, ThinkingPlaceholder string
	// Submit refusals.
	Empty, Busy, TooFast, Restarting          string
	PromptTooLong, TooManyImages, ImageTooBig string // with %d
	NotImage, ImageUnsupported, ImageTooLarge string
	ImagesBusy                                string
	UserBudget, ChatBudget                    string
	// Model and turn failures.
	Refused, ModelBusy, Misconfigured, InputTooLong, Unavailable, Generic string
	// Notes at the end of a reply.
	Stopped, Truncated, EmptyAnswer, Interrupted                string // Interrupted with %s
	ReasonRestart, ReasonTimeout, ReasonConnection, ReasonError string
	ReasonLockLost                                              string
	// Commands.
	Start, Help, ResetDone, ThinkOn, ThinkOff, ThinkAlways, ThinkNever string
	ThinkUsage, StopDone, StopNone, AdminOnly, SystemShow, SystemNone  string
	SystemSet, SystemCleared, SystemTooLong, CommandFailed             string

	// Videos: VideoTooLong and VideoTooLarge with the limit (%s);
	// VideoPrompt is the prompt of clips sent without text.
	VideoOff, VideoNoFFmpeg, VideoModel, VideoUnreadable, VideoTimeout string
	VideoTooLong, VideoTooLarge, VideoPrompt                           string
}

// catalogFor returns the messages of lang ("en" or "zh"); any other value
// means English.
func catalogFor(lang string) catalog {
	if isChinese(lang) {
		return zhCatalog()
	}
	return enCatalog()
}

// isChinese reports whether lang names Chinese ("zh", "zh-CN", …).
func isChinese(lang string) bool {
	return strings.HasPrefix(strings.ToLower(lang), "zh")
}

// langOf returns the language a chat is answered in: its setting, else
// the configured default.
func langOf(setting, def string) string {
	if setting != "" {
		return setting
	}
	return def
}

// enCatalog returns the English messages.
func enCatalog() catalog {
	return catalog{
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
		Refused:             "Sorry, I can't help with that content.",
		ModelBusy:           "The model is busy right now, please try again in a minute.",
		Misconfigured:       "The bot is misconfigured; the operator has been notified.",
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
		Start:               "Hi! I'm a vision assistant: send me a question or a photo of a problem and I'll work through it.",
		Help: "Send a question, a photo, or both, and I'll answer.\n" +
			"In private chats every message is a question. In groups, mention me, reply to one of my answers, or use /ask.\n\n" +
			"/reset – forget this chat's history (/new does the same)\n" +
			"/think [on|off] – show or switch step-by-step thinking\n" +
			"/stop – stop the current answer\n" +
			"/system [text|reset] – set this chat's instructions (admins)\n" +
			"/help – this message",
		ResetDone:     "🧹 History cleared. Let's start fresh.",
		ThinkOn:       "💭 Thinking is on in this chat.",
		ThinkOff:      "Thinking is off in this chat.",
		ThinkAlways:   "This model always thinks; thinking can't be turned off.",
		ThinkNever:    "This model can't think step by step; thinking stays off.",
		ThinkUsage:    "Usage: /think on or /think off",
		StopDone:      "⏹ Stopped.",
		StopNone:      "Nothing is running right now.",
		AdminOnly:     "Only an admin can do that.",
		SystemShow:    "This chat's instructions:\n%s",
		SystemNone:    "This chat uses the default instructions.",
		SystemSet:     "Instructions updated.",
		SystemCleared: "Instructions reset to the default.",
		SystemTooLong: "Those instructions are too long (at most %d characters).",
		CommandFailed: "Sorry, that didn't work. Please try again.",

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

// zhCatalog returns the Chinese messages.
func zhCatalog() catalog {
	return catalog{
		Placeholder:         "…",
		ThinkingPlaceholder: "💭 思考中…",
		Empty:               "请发送问题或图片。",
		Busy:                "我还在处理你之前的消息，请稍候再发送这条。",
		TooFast:             "你发送得太快了，请等一分钟再试。",
		Restarting:          "机器人正在重启，请稍后重新发送你的消息。",
		PromptTooLong:       "消息太长了（最多 %d 个字符）。",
		TooManyImages:       "图片太多了（每条消息最多 %d 张）。",
		ImageTooBig:         "图片太大了（最大 %d MB）。",
		NotImage:            "无法读取这张图片，请发送 JPEG、PNG、WebP、GIF 或 BMP 图片。",
		ImageUnsupported:    "不支持这种图片格式，请发送 JPEG、PNG、WebP、GIF 或 BMP 图片。",
		ImageTooLarge:       "图片太大，压缩后仍然无法处理。",
		ImagesBusy:          "我正在处理很多图片，请稍后再发送你的图片。",
		UserBudget:          "你今天的额度已用完，将于 UTC 00:00 重置。",
		ChatBudget:          "本群今天的额度已用完，将于 UTC 00:00 重置。",
		Refused:             "抱歉，我无法处理这些内容。",
		ModelBusy:           "模型当前繁忙，请一分钟后再试。",
		Misconfigured:       "机器人配置有误，已通知管理员。",
		InputTooLong:        "对话太长，模型无法处理。请发送 /reset 重新开始。",
		Unavailable:         "模型没有回应，请再试一次。",
		Generic:             "出了点问题，请再试一次。",
		Stopped:             "⏹ 已停止",
		Truncated:           "✂️ 回答达到了长度上限",
		EmptyAnswer:         "模型返回了空白回答。",
		Interrupted:         "⚠️ 已中断：%s",
		ReasonRestart:       "机器人正在重启",
		ReasonTimeout:       "回答用时过长",
		ReasonConnection:    "与模型的连接中断",
		ReasonError:         "出了点问题",
		ReasonLockLost:      "另一个机器人实例接管了此对话",
		Start:               "你好！我是视觉助手：发给我问题或题目的照片，我会一步步解答。",
		Help: "发送问题、图片或两者，我来回答。\n" +
			"私聊中每条消息都是提问；在群组中请 @我、回复我的回答，或使用 /ask。\n\n" +
			"/reset – 清除本聊天的历史（/new 相同）\n" +
			"/think [on|off] – 查看或切换逐步思考\n" +
			"/stop – 停止当前回答\n" +
			"/system [文本|reset] – 设置本聊天的指令（管理员）\n" +
			"/help – 显示本帮助",
		ResetDone:     "🧹 历史已清除，我们重新开始吧。",
		ThinkOn:       "💭 本聊天已开启思考。",
		ThinkOff:      "本聊天已关闭思考。",
		ThinkAlways:   "该模型总是会思考，无法关闭。",
		ThinkNever:    "该模型不支持逐步思考，思考保持关闭。",
		ThinkUsage:    "用法：/think on 或 /think off",
		StopDone:      "⏹ 已停止。",
		StopNone:      "当前没有正在进行的回答。",
		AdminOnly:     "只有管理员可以这样做。",
		SystemShow:    "本聊天的指令：\n%s",
		SystemNone:    "本聊天使用默认指令。",
		SystemSet:     "指令已更新。",
		SystemCleared: "指令已恢复默认。",
		SystemTooLong: "指令太长了（最多 %d 个字符）。",
		CommandFailed: "抱歉，操作失败，请再试一次。",

		// Videos.
		VideoOff:        "此机器人未开启视频功能，请改发图片。",
		VideoNoFFmpeg:   "我现在无法观看视频（缺少视频工具），已通知管理员。请改发图片。",
		VideoModel:      "当前模型无法观看视频，请改发图片。",
		VideoUnreadable: "无法读取这个视频，文件可能已损坏或格式不常见。",
		VideoTimeout:    "读取这个视频用时太长，请发送短一些的视频。",
		VideoTooLong:    "视频太长了（上限为 %s）。",
		VideoTooLarge:   "视频文件太大了（上限为 %s）。",
		VideoPrompt:     "请一步步解答视频中的题目，或说明视频中发生了什么。",
	}
}

// interrupted returns the note of a reply cut short for reason.
func (c catalog) interrupted(reason string) string {
	return fmt.Sprintf(c.Interrupted, reason)
}
