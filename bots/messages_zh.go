package bots

// zhCatalog returns the Chinese messages.
func zhCatalog() catalog {
	return catalog{
		Tag:                 "zh",
		Name:                "中文",
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
		Unsupported:         "我只能读文字、图片和视频。请把这一页拍成照片发给我，或者直接输入你的问题。",
		PhotoPrompt:         "请一步步解答图片中的题目。",
		Refused:             "抱歉，我无法处理这些内容。",
		ModelBusy:           "模型当前繁忙，请一分钟后再试。",
		Misconfigured:       "机器人的配置有问题，暂时无法使用模型。请告知机器人的管理员。",
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
		ReasonBusy:          "模型当前繁忙，请稍后再试",
		Start:               "你好！我是视觉助手：发给我问题或题目的照片，我会一步步解答。",
		ResetDone:           "🧹 历史已清除，我们重新开始吧。",
		ThinkOn:             "💭 本聊天已开启思考。",
		ThinkOff:            "本聊天已关闭思考。",
		ThinkAlways:         "该模型总是会思考，无法关闭。",
		ThinkNever:          "该模型不支持逐步思考，思考保持关闭。",
		ThinkUsage:          "用法：/think on 或 /think off",
		StopDone:            "⏹ 已停止。",
		StopNone:            "当前没有正在进行的回答。",
		StopNotAsker:        "只有提问的人或管理员可以停止这个回答。",
		AdminOnly:           "只有管理员可以这样做。",
		SystemShow:          "本聊天的指令：\n%s",
		SystemNone:          "本聊天使用默认指令。",
		SystemSet:           "指令已更新。",
		SystemCleared:       "指令已恢复默认。",
		SystemTooLong:       "指令太长了（最多 %d 个字符）。",
		CommandFailed:       "抱歉，操作失败，请再试一次。",
		AnswerCapped:        "✂️ 回答已截断：达到了机器人的长度上限",
		UnknownCommand:      "抱歉，我不认识这个命令。",
		HelpPrivate:         "发送问题、图片或两者，我来回答。这里的每条消息都是一个问题，一组相册算一个问题。你用什么语言提问，我就用什么语言回答。",
		HelpGroup:           "在本群中，请 @我、回复我的回答，或使用 /ask（也可以回复一张图片使用）。群里的大家共享同一段对话。",
		HelpDiscord:         "使用 /ask 提问（可以用 image 选项附上图片）、@我，或回复我的回答。也可以私信我。",
		HelpDiscordDM:       "这里的每条消息都是一个问题，可以带图片；也可以用 /ask。",
		CommandsTelegram: "/reset – 清除本聊天的历史（/new 相同）\n" +
			"/think [on|off] – 查看或切换逐步思考\n" +
			"/stop – 停止你当前的回答\n" +
			"/lang [en|zh|auto] – 本聊天中我使用的语言\n" +
			"/settings – 本聊天的设置\n" +
			"/system [文本|reset] – 设置本聊天的指令（管理员）\n" +
			"/help – 显示本帮助",
		CommandsDiscord: "/ask – 提问，可以附上图片\n" +
			"/reset – 忘掉这段对话\n" +
			"/think [on|off] – 查看或切换逐步思考\n" +
			"/stop – 停止你当前的回答\n" +
			"/lang [en|zh|auto] – 这里我使用的语言\n" +
			"/settings – 这段对话的设置\n" +
			"/help – 显示本帮助",
		SettingsTitle:    "当前设置：",
		SettingsModel:    "模型：%s",
		SettingsThinking: "思考：%s",
		SettingsLang:     "语言：%s",
		SettingsLangAuto: "语言：%s（跟随你的应用；可用 /lang 选择）",
		On:               "开",
		Off:              "关",
		BudgetUser:       "你今天剩余的 token：%d / %d",
		BudgetChat:       "本聊天今天剩余的 token：%d / %d",
		LangSet:          "好的：本聊天中我的消息现在使用%s。",
		LangAuto:         "好的：本聊天中我的消息现在跟随每位用户的应用语言。",
		LangUsage:        "用法：/lang en、/lang zh 或 /lang auto",

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
